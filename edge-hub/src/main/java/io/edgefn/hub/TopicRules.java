package io.edgefn.hub;

/**
 * The IoT Hub topic scheme as the edge hub enforces it: which topics an authenticated device or
 * module may publish and subscribe to, and where its telemetry's property bag starts.
 *
 * <p>Matching is literal: a client names its own ids; wildcards are allowed only where IoT Hub's
 * SDKs put them (the trailing {@code #}). Stateless and thread-safe.
 */
final class TopicRules {

    private TopicRules() {
    }

    /** What a PUBLISH topic is, for one client. */
    sealed interface PublishTarget {
    }

    /** Telemetry; {@code bag} is the property bag after {@code …/messages/events/} (may be empty). */
    record Telemetry(String bag) implements PublishTarget {
    }

    /** {@code $iothub/twin/GET/?$rid={rid}}. */
    record TwinGet(String rid) implements PublishTarget {
    }

    /** {@code $iothub/twin/PATCH/properties/reported/?$rid={rid}}. */
    record TwinReported(String rid) implements PublishTarget {
    }

    /** {@code $iothub/methods/res/{status}/?$rid={rid}}. */
    record MethodAnswer(int status, String rid) implements PublishTarget {
    }

    /** A twin or method topic without a request id, or with a status that is not a number. */
    record MalformedRequest(String why) implements PublishTarget {
    }

    /** A topic this client may not publish to. */
    record Forbidden() implements PublishTarget {
    }

    /**
     * Classifies {@code topic} published by device {@code deviceId} (module {@code moduleId}, or
     * null for a device).
     */
    static PublishTarget publish(String topic, String deviceId, String moduleId) {
        String events = ownPrefix(deviceId, moduleId) + "messages/events";
        if (topic.equals(events)) {
            return new Telemetry("");
        }
        if (topic.startsWith(events + "/")) {
            return new Telemetry(topic.substring(events.length() + 1));
        }
        if (topic.startsWith("$iothub/twin/GET/")) {
            String rid = requestId(topic, "$iothub/twin/GET/");
            return rid == null ? new MalformedRequest("a twin GET needs '?$rid=…'") : new TwinGet(rid);
        }
        if (topic.startsWith("$iothub/twin/PATCH/properties/reported/")) {
            String rid = requestId(topic, "$iothub/twin/PATCH/properties/reported/");
            return rid == null ? new MalformedRequest("a reported patch needs '?$rid=…'") : new TwinReported(rid);
        }
        if (topic.startsWith("$iothub/methods/res/")) {
            String rest = topic.substring("$iothub/methods/res/".length());
            int slash = rest.indexOf('/');
            if (slash < 1) {
                return new MalformedRequest("a method response is $iothub/methods/res/{status}/?$rid=…");
            }
            int status;
            try {
                status = Integer.parseInt(rest.substring(0, slash));
            } catch (NumberFormatException e) {
                return new MalformedRequest("method response status '" + rest.substring(0, slash) + "' is not a number");
            }
            String rid = requestId(topic, "$iothub/methods/res/" + rest.substring(0, slash) + "/");
            return rid == null ? new MalformedRequest("a method response needs '?$rid=…'") : new MethodAnswer(status, rid);
        }
        return new Forbidden();
    }

    /** The {@code $rid} of {@code topic}, which is {@code prefix} then {@code ?$rid=…[&…]}; null if absent or empty. */
    static String requestId(String topic, String prefix) {
        String rest = topic.substring(prefix.length());
        if (!rest.startsWith("?")) {
            return null;
        }
        return queryParameter(rest.substring(1), "$rid");
    }

    /** The value of {@code name} in query {@code query} ({@code a=1&b=2}, not decoded), or null if absent or empty. */
    static String queryParameter(String query, String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name) && eq < pair.length() - 1) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }

    /** The filter a client subscribes to for cloud-to-device messages. */
    static String deviceBound(String deviceId) {
        return "devices/" + deviceId + "/messages/devicebound/#";
    }

    /** Whether this client may subscribe to {@code filter}. */
    static boolean maySubscribe(String filter, String deviceId, String moduleId) {
        switch (filter) {
            case "$iothub/twin/res/#", "$iothub/twin/PATCH/properties/desired/#", "$iothub/methods/POST/#" -> {
                return true;
            }
            default -> {
                if (moduleId == null) {
                    return filter.equals(deviceBound(deviceId));
                }
                return isModuleInputs(filter, deviceId, moduleId);
            }
        }
    }

    /**
     * Whether {@code filter} subscribes module {@code moduleId} of {@code deviceId} to its inputs:
     * {@code devices/{d}/modules/{m}/#}, {@code …/inputs/#} or {@code …/inputs/{name}/#}.
     */
    static boolean isModuleInputs(String filter, String deviceId, String moduleId) {
        if (moduleId == null) {
            return false;
        }
        String own = "devices/" + deviceId + "/modules/" + moduleId + "/";
        if (filter.equals(own + "#") || filter.equals(own + "inputs/#")) {
            return true;
        }
        if (filter.startsWith(own + "inputs/") && filter.endsWith("/#")) {
            String name = filter.substring((own + "inputs/").length(), filter.length() - 2);
            return !name.isEmpty() && name.indexOf('/') < 0 && name.indexOf('+') < 0 && name.indexOf('#') < 0;
        }
        return false;
    }

    /** Whether module-input subscription {@code filter} covers input {@code input}. */
    static boolean coversInput(String filter, String deviceId, String moduleId, String input) {
        String own = "devices/" + deviceId + "/modules/" + moduleId + "/";
        return filter.equals(own + "#") || filter.equals(own + "inputs/#") || filter.equals(own + "inputs/" + input + "/#");
    }

    /** The topic a module's input message is published on: {@code devices/{d}/modules/{m}/inputs/{input}/{bag}}. */
    static String moduleInput(String deviceId, String moduleId, String input, String bag) {
        return "devices/" + deviceId + "/modules/" + moduleId + "/inputs/" + input + "/" + bag;
    }

    private static String ownPrefix(String deviceId, String moduleId) {
        return moduleId == null ? "devices/" + deviceId + "/" : "devices/" + deviceId + "/modules/" + moduleId + "/";
    }
}
