package io.edgefn.routes;

import io.edgefn.api.Message;

/** The messages the corpora evaluate against (modelled on edgeHub's own test messages). */
final class TestMessages {

    static final String BODY = """
            {"message": {"Weather": {"Temperature": 50, "Time": "2017-03-09T00:00:00.000Z",
              "PrevTemperatures": [20, 30, 40], "IsEnabled": true,
              "Location": {"Street": "One Microsoft Way"},
              "HistoricalData": [{"Month": "Feb", "Temperature": 40}, {"Month": "Jan", "Temperature": 30}]}},
             "Welcome!": {"he": "שלום", "es": "hola"},
             "I'mnotusingspaces%1": {"es": "Estoy usando %1 "},
             "nullField": null, "str": "abc", "pressure": 160}
            """;

    private TestMessages() {
    }

    /** Properties key1…, a null-valued property, conflicting {@code $} names and a JSON body. */
    static Message standard() {
        return Message.builder()
                .jsonBody(BODY)
                .property("key1", "value1")
                .property("key2", "3")
                .property("temp", "92.5")
                .property("null_value", null)
                .property("$sys4", "value4")
                .property("$body.message.Weather.Temperature_PropertyConflict", "100")
                .property("TRUE", "upper-case true is a property")
                .property("a-b", "dash")
                .property("3+4", "seven")
                .property("x*2", "star")
                .property("a.b", "dot")
                .systemProperty("sys1", "sysvalue1")
                .systemProperty("sys4", "sysvalue4")
                .systemProperty("connectionDeviceId", "pump-01")
                .systemProperty("messageId", "m-1")
                .build();
    }
}
