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

    /** A twin request or a method response: acknowledged and ignored until twins and methods are served. */
    record NotYetServed(String what) implements PublishTarget {
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
        if (topic.startsWith("$iothub/twin/GET/") || topic.startsWith("$iothub/twin/PATCH/properties/reported/")) {
            return new NotYetServed("twin");
        }
        if (topic.startsWith("$iothub/methods/res/")) {
            return new NotYetServed("method response");
        }
        return new Forbidden();
    }

    /** Whether this client may subscribe to {@code filter}. */
    static boolean maySubscribe(String filter, String deviceId, String moduleId) {
        switch (filter) {
            case "$iothub/twin/res/#", "$iothub/twin/PATCH/properties/desired/#", "$iothub/methods/POST/#" -> {
                return true;
            }
            default -> {
                if (moduleId == null) {
                    return filter.equals("devices/" + deviceId + "/messages/devicebound/#");
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
