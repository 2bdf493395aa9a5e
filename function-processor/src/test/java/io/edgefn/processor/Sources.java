package io.edgefn.processor;

/** Source texts of function packages used by the processor tests. */
final class Sources {

    private Sources() {
    }

    static final String IMPORTS = """
            import com.fasterxml.jackson.databind.JsonNode;
            import io.edgefn.api.*;
            import java.util.List;
            import java.util.Optional;
            """;

    /** A function using every binding kind, both timer kinds and a method-level output. */
    static final String PUMP_SHUTDOWN = """
            package com.example.pump;

            """ + IMPORTS + """

            @EdgeFunction(value = "pump-shutdown", maxConcurrency = 2, timeoutMillis = 5000, retries = 3)
            public class PumpShutdown {
                public record Anomaly(String deviceId, double score) { }
                public record Outcome(String deviceId, boolean acknowledged) { }
                public record Alert(String text) { }

                @RouteTrigger(input = "anomalies")
                @SendTo("outcomes")
                public Outcome onAnomaly(Anomaly anomaly, DeviceCommands commands, @SendTo("alerts") Output<Alert> alerts) {
                    alerts.send(new Alert("anomaly on " + anomaly.deviceId()));
                    return new Outcome(anomaly.deviceId(), anomaly.score() > 1);
                }

                @RouteTrigger(input = "raw")
                public void onRaw(byte[] body, Message message, @Property("unit") String unit,
                        @Property("site") Optional<String> site, FunctionContext context) { }

                @RouteTrigger(input = "text")
                @SendTo("echo")
                public String onText(String text) {
                    return "echo:" + text;
                }

                @RouteTrigger(input = "json")
                public void onJson(JsonNode json) { }

                @RouteTrigger(input = "list")
                public void onList(List<Anomaly> anomalies, @SendTo("counts") Output<int[]> counts) { }

                @TimerTrigger(fixedRate = "PT0.5S")
                public void heartbeat(FunctionContext context, @SendTo("beats") Output<String> beats) { }

                @TimerTrigger(cron = "0 */5 * * * *")
                public void report(DeviceCommands commands) { }

                public int helper() {
                    return 1;
                }
            }
            """;

    /** A second function in another class and package, to check the index aggregates. */
    static final String COUNTER = """
            package com.example.other;

            import io.edgefn.api.*;

            @EdgeFunction("counter.v2")
            public class Counter {
                private long count;

                @RouteTrigger(input = "in")
                public void count(Message message) {
                    count++;
                }
            }
            """;

    /** The index the two functions above must produce, per docs/function-index.md. */
    static final String EXPECTED_INDEX = """
            {
              "format": 1,
              "functions": [
                {
                  "name": "counter.v2",
                  "className": "com.example.other.Counter",
                  "maxConcurrency": 1,
                  "timeoutMillis": 10000,
                  "retries": 2,
                  "inputs": ["in"],
                  "outputs": [],
                  "usesDeviceCommands": false,
                  "methods": [
                    {
                      "name": "count",
                      "parameterTypes": ["io.edgefn.api.Message"],
                      "trigger": {"kind": "route", "input": "in"},
                      "returnType": "void",
                      "returnOutput": null,
                      "parameters": [{"binding": "message"}]
                    }
                  ]
                },
                {
                  "name": "pump-shutdown",
                  "className": "com.example.pump.PumpShutdown",
                  "maxConcurrency": 2,
                  "timeoutMillis": 5000,
                  "retries": 3,
                  "inputs": ["anomalies", "json", "list", "raw", "text"],
                  "outputs": ["alerts", "beats", "counts", "echo", "outcomes"],
                  "usesDeviceCommands": true,
                  "methods": [
                    {
                      "name": "onAnomaly",
                      "parameterTypes": ["com.example.pump.PumpShutdown$Anomaly", "io.edgefn.api.DeviceCommands", "io.edgefn.api.Output"],
                      "trigger": {"kind": "route", "input": "anomalies"},
                      "returnType": "com.example.pump.PumpShutdown$Outcome",
                      "returnOutput": "outcomes",
                      "parameters": [
                        {"binding": "body", "type": "com.example.pump.PumpShutdown$Anomaly"},
                        {"binding": "deviceCommands"},
                        {"binding": "output", "output": "alerts", "elementType": "com.example.pump.PumpShutdown$Alert"}
                      ]
                    },
                    {
                      "name": "onRaw",
                      "parameterTypes": ["[B", "io.edgefn.api.Message", "java.lang.String", "java.util.Optional", "io.edgefn.api.FunctionContext"],
                      "trigger": {"kind": "route", "input": "raw"},
                      "returnType": "void",
                      "returnOutput": null,
                      "parameters": [
                        {"binding": "bodyBytes"},
                        {"binding": "message"},
                        {"binding": "property", "name": "unit", "optional": false},
                        {"binding": "property", "name": "site", "optional": true},
                        {"binding": "context"}
                      ]
                    },
                    {
                      "name": "onText",
                      "parameterTypes": ["java.lang.String"],
                      "trigger": {"kind": "route", "input": "text"},
                      "returnType": "java.lang.String",
                      "returnOutput": "echo",
                      "parameters": [{"binding": "bodyString"}]
                    },
                    {
                      "name": "onJson",
                      "parameterTypes": ["com.fasterxml.jackson.databind.JsonNode"],
                      "trigger": {"kind": "route", "input": "json"},
                      "returnType": "void",
                      "returnOutput": null,
                      "parameters": [{"binding": "bodyJson"}]
                    },
                    {
                      "name": "onList",
                      "parameterTypes": ["java.util.List", "io.edgefn.api.Output"],
                      "trigger": {"kind": "route", "input": "list"},
                      "returnType": "void",
                      "returnOutput": null,
                      "parameters": [
                        {"binding": "body", "type": "java.util.List"},
                        {"binding": "output", "output": "counts", "elementType": "[I"}
                      ]
                    },
                    {
                      "name": "heartbeat",
                      "parameterTypes": ["io.edgefn.api.FunctionContext", "io.edgefn.api.Output"],
                      "trigger": {"kind": "timer", "fixedRate": "PT0.5S", "fixedRateMillis": 500},
                      "returnType": "void",
                      "returnOutput": null,
                      "parameters": [
                        {"binding": "context"},
                        {"binding": "output", "output": "beats", "elementType": "java.lang.String"}
                      ]
                    },
                    {
                      "name": "report",
                      "parameterTypes": ["io.edgefn.api.DeviceCommands"],
                      "trigger": {"kind": "timer", "cron": "0 */5 * * * *"},
                      "returnType": "void",
                      "returnOutput": null,
                      "parameters": [{"binding": "deviceCommands"}]
                    }
                  ]
                }
              ]
            }
            """;

    /** A whole source file of one function class {@code F} in package {@code p} around {@code body}. */
    static String function(String body) {
        return "package p;\n\n" + IMPORTS + "\n@EdgeFunction(\"f\")\npublic class F {\n" + body + "\n}\n";
    }
}
