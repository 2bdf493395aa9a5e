package io.edgefn.triggers.mqtt;

/**
 * MQTT 3.1.1 topic matching: whether a topic name matches a topic filter ({@code +} one whole
 * level, {@code #} the whole rest, a {@code $}-topic never matched by a wildcard in its first
 * level). The filter is assumed valid (see {@code TriggerDescriptor.Mqtt.filterProblem}).
 * Stateless.
 */
public final class TopicFilters {

    private TopicFilters() {
    }

    /** Whether {@code topic} (a topic name: no wildcards) matches {@code filter}. */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true; // also "a/#" for "a": '#' includes the parent level
            }
            if (i >= t.length || (!f[i].equals("+") && !f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** Whether {@code topic} can be published to: not empty, no wildcard, no NUL. */
    public static boolean isTopicName(String topic) {
        return topic != null && !topic.isEmpty() && topic.indexOf('+') < 0 && topic.indexOf('#') < 0
                && topic.indexOf('\0') < 0;
    }
}
