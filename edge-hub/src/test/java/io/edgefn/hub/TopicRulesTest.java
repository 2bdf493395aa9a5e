package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicRulesTest {

    @ParameterizedTest(name = "{0} publishing to {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            dev1 | -      | devices/dev1/messages/events/                          | telemetry:
            dev1 | -      | devices/dev1/messages/events                           | telemetry:
            dev1 | -      | devices/dev1/messages/events/%24.mid=1&a=b             | telemetry:%24.mid=1&a=b
            dev1 | -      | devices/dev2/messages/events/                          | forbidden
            dev1 | -      | devices/dev1/messages/eventsX                          | forbidden
            dev1 | -      | devices/dev1/modules/m/messages/events/                | forbidden
            dev1 | -      | devices/dev1/messages/devicebound/                     | forbidden
            dev1 | -      | $iothub/twin/GET/?$rid=1                               | get:1
            dev1 | -      | $iothub/twin/PATCH/properties/reported/?$rid=2         | reported:2
            dev1 | -      | $iothub/twin/PATCH/properties/reported/?$rid=2&$version=4 | reported:2
            dev1 | -      | $iothub/twin/GET/?$rid=7                               | get:7
            dev1 | -      | $iothub/twin/GET/                                      | malformed
            dev1 | -      | $iothub/methods/res/200/?$rid=3                        | answer:200:3
            dev1 | -      | $iothub/methods/res/ok/?$rid=3                         | malformed
            dev1 | -      | $iothub/methods/res/500/                               | malformed
            dev1 | -      | edgefn/dev2/$iothub/twin/GET/?$rid=1                   | forbidden
            dev1 | -      | devices/dev2/messages/events/                          | forbidden
            dev1 | -      | $iothub/twin/PATCH/properties/desired/                 | forbidden
            gw   | filter | devices/gw/modules/filter/messages/events/$.on=out     | telemetry:$.on=out
            gw   | filter | devices/gw/messages/events/                            | forbidden
            gw   | filter | devices/gw/modules/other/messages/events/              | forbidden
            gw   | filter | devices/gw/modules/filter/inputs/in/                   | forbidden
            """)
    void publish_classifiesTheTopicForItsClient(String device, String module, String topic, String expected) {
        TopicRules.PublishTarget target = TopicRules.publish(topic, device, module);

        String actual = switch (target) {
            case TopicRules.Telemetry t -> "telemetry:" + t.bag();
            case TopicRules.TwinGet g -> "get:" + g.rid();
            case TopicRules.TwinReported r -> "reported:" + r.rid();
            case TopicRules.MethodAnswer a -> "answer:" + a.status() + ":" + a.rid();
            case TopicRules.MalformedRequest m -> "malformed";
            case TopicRules.Forbidden f -> "forbidden";
        };
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}/{1} subscribing to {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            dev1 | -      | devices/dev1/messages/devicebound/#           | true
            dev1 | -      | devices/dev2/messages/devicebound/#           | false
            dev1 | -      | devices/+/messages/devicebound/#              | false
            dev1 | -      | #                                             | false
            dev1 | -      | devices/dev1/#                                | false
            dev1 | -      | $iothub/twin/res/#                            | true
            dev1 | -      | $iothub/twin/PATCH/properties/desired/#       | true
            dev1 | -      | $iothub/methods/POST/#                        | true
            dev1 | -      | $iothub/#                                     | false
            dev1 | -      | devices/dev1/modules/m/#                      | false
            gw   | filter | devices/gw/modules/filter/#                   | true
            gw   | filter | devices/gw/modules/filter/inputs/#            | true
            gw   | filter | devices/gw/modules/filter/inputs/in/#         | true
            gw   | filter | devices/gw/modules/filter/inputs/+/#          | false
            gw   | filter | devices/gw/modules/other/#                    | false
            gw   | filter | devices/gw/messages/devicebound/#             | false
            gw   | filter | $iothub/methods/POST/#                        | true
            """)
    void maySubscribe_onlyToItsOwnTopics(String device, String module, String filter, boolean expected) {
        assertThat(TopicRules.maySubscribe(filter, device, module)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} covers input {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            devices/gw/modules/filter/#            | in  | true
            devices/gw/modules/filter/inputs/#     | in  | true
            devices/gw/modules/filter/inputs/in/#  | in  | true
            devices/gw/modules/filter/inputs/in/#  | in2 | false
            $iothub/methods/POST/#                 | in  | false
            """)
    void coversInput_matchesTheModuleInputFilters(String filter, String input, boolean expected) {
        assertThat(TopicRules.coversInput(filter, "gw", "filter", input)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void moduleInput_isTheTopicModulesSubscribeTo() {
        assertThat(TopicRules.moduleInput("gw", "filter", "in", "a=1"))
                .isEqualTo("devices/gw/modules/filter/inputs/in/a=1");
    }
}
