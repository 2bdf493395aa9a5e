package io.edgefn.routes;

import java.util.Objects;

/** Where a route delivers: IoT Hub upstream, or an input of a function or module. */
public sealed interface Sink permits Sink.Upstream, Sink.FunctionInput {

    /** The sink's canonical address: {@code $upstream} or {@code /modules/{id}/inputs/{input}}. */
    String address();

    /** The upstream link to IoT Hub ({@code INTO $upstream}). */
    record Upstream() implements Sink {
        /** The one instance routes share. */
        public static final Upstream INSTANCE = new Upstream();

        @Override
        public String address() {
            return "$upstream";
        }
    }

    /**
     * An input of a function or of an external module
     * ({@code INTO BrokeredEndpoint("/modules/{moduleId}/inputs/{input}")}).
     *
     * @param moduleId the function or module id, as written in the route
     * @param input    the input name, as written in the route
     */
    record FunctionInput(String moduleId, String input) implements Sink {
        /** Checks that both parts are present. */
        public FunctionInput {
            Objects.requireNonNull(moduleId, "moduleId");
            Objects.requireNonNull(input, "input");
        }

        @Override
        public String address() {
            return "/modules/" + moduleId + "/inputs/" + input;
        }
    }
}
