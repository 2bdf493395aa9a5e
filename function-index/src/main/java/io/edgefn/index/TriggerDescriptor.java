package io.edgefn.index;

import java.util.List;
import java.util.Objects;

/**
 * What triggers a function method, as the function index records it: a route input, a timer, a
 * direct method, a desired-properties patch, a lifecycle hook or a device's messages. Immutable.
 *
 * <p>As with {@link ParameterDescriptor}, each record names its {@link Kind}, and the index writer,
 * the reader and the host switch over the records or the kinds without a {@code default} branch,
 * so that a new trigger kind does not compile until each of them handles it.
 */
public sealed interface TriggerDescriptor {

    /** What kind of trigger this is. */
    Kind kind();

    /** The trigger kinds, as the index names them ({@code trigger.kind}). */
    enum Kind {
        /** {@link Route}. */
        ROUTE("route", List.of("input")),
        /** {@link Timer}, in either of its forms. */
        TIMER("timer", List.of("fixedRate", "fixedRateMillis", "cron")),
        /** {@link DirectMethod}. */
        DIRECT_METHOD("directMethod", List.of("method")),
        /** {@link DesiredProperties}. */
        DESIRED_PROPERTIES("desiredProperties", List.of()),
        /** {@link Lifecycle}: an {@code @OnStart} or {@code @OnStop} hook. */
        LIFECYCLE("lifecycle", List.of("phase")),
        /** {@link DeviceEvent}. */
        DEVICE_EVENT("deviceEvent", List.of("device")),
        /** {@link Http}. */
        HTTP("http", List.of("path", "methods")),
        /** {@link Mqtt}. */
        MQTT("mqtt", List.of("topics", "qos", "broker"));

        private final String indexName;
        private final List<String> keys;

        Kind(String indexName, List<String> keys) {
            this.indexName = indexName;
            this.keys = keys;
        }

        /** The kind's {@code kind} value in the index, e.g. {@code route}. */
        public String indexName() {
            return indexName;
        }

        /** The keys a trigger of this kind may have in the index besides {@code kind}. */
        public List<String> keys() {
            return keys;
        }

        /** The kind whose index name is {@code indexName}, or {@code null}. */
        public static Kind forIndexName(String indexName) {
            for (Kind kind : values()) {
                if (kind.indexName.equals(indexName)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /**
     * Each message routed to the function's input {@code input} triggers the method.
     *
     * @param input the input's name
     */
    record Route(String input) implements TriggerDescriptor {
        /** Checks the input is given. */
        public Route {
            Objects.requireNonNull(input, "input");
        }

        @Override
        public Kind kind() {
            return Kind.ROUTE;
        }
    }

    /**
     * A timer triggers the method: exactly one of a fixed rate and a cron expression is set.
     *
     * @param fixedRate       the fixed rate as an ISO-8601 duration, e.g. {@code PT1S}, or {@code null}
     * @param fixedRateMillis the fixed rate in milliseconds (positive), or {@code null} with a cron
     * @param cron            a six-field NCRONTAB expression in UTC, or {@code null} with a fixed rate
     */
    record Timer(String fixedRate, Long fixedRateMillis, String cron) implements TriggerDescriptor {

        /**
         * Checks that the timer has one form.
         *
         * @throws IllegalArgumentException unless exactly one of {@code fixedRate} (with a positive
         *                                  {@code fixedRateMillis}) and {@code cron} is set
         */
        public Timer {
            boolean rateForm = fixedRate != null && fixedRateMillis != null && fixedRateMillis > 0 && cron == null;
            boolean cronForm = cron != null && fixedRate == null && fixedRateMillis == null;
            if (!rateForm && !cronForm) {
                throw new IllegalArgumentException("a timer has either a fixedRate with its positive fixedRateMillis"
                        + " or a cron, not fixedRate=" + fixedRate + ", fixedRateMillis=" + fixedRateMillis
                        + ", cron=" + cron);
            }
        }

        /** A timer firing every {@code fixedRate} (ISO-8601), which is {@code fixedRateMillis} milliseconds. */
        public static Timer ofFixedRate(String fixedRate, long fixedRateMillis) {
            return new Timer(fixedRate, fixedRateMillis, null);
        }

        /** A timer firing on the six-field NCRONTAB expression {@code cron}, in UTC. */
        public static Timer ofCron(String cron) {
            return new Timer(null, null, cron);
        }

        @Override
        public Kind kind() {
            return Kind.TIMER;
        }
    }

    /**
     * A call of the direct method {@code method} on the function triggers the method, its JSON
     * payload as the message body; the method's return value is the call's answer.
     *
     * @param method the direct method's name ({@link #NAME_RULE})
     */
    record DirectMethod(String method) implements TriggerDescriptor {
        /** What a direct method's name may be: the rule the processor and the index reader apply. */
        public static final String NAME_RULE = "1 to 128 letters, digits, '-', '_' and '.', starting with a letter or digit";

        private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

        /** Checks the name is given. */
        public DirectMethod {
            Objects.requireNonNull(method, "method");
        }

        /** Whether {@code name} is a valid direct method name ({@link #NAME_RULE}). */
        public static boolean isValidName(String name) {
            return name != null && NAME.matcher(name).matches();
        }

        @Override
        public Kind kind() {
            return Kind.DIRECT_METHOD;
        }
    }

    /**
     * Each patch of the function's desired properties triggers the method, the patch (JSON merge
     * patch) as the message body; at most one such method per function.
     */
    record DesiredProperties() implements TriggerDescriptor {
        @Override
        public Kind kind() {
            return Kind.DESIRED_PROPERTIES;
        }
    }

    /**
     * A lifecycle hook: the host calls the method once after creating the function's instance
     * ({@link Phase#START}, before it takes work; a throw fails the start) or once when it stops
     * ({@link Phase#STOP}, after its work drained). No message; at most one of each per function.
     *
     * @param phase when the host calls it
     */
    record Lifecycle(Phase phase) implements TriggerDescriptor {

        /** When a lifecycle hook runs, as the index names it ({@code trigger.phase}). */
        public enum Phase {
            /** {@code @OnStart}: after the instance is created, before the function takes work. */
            START("start"),
            /** {@code @OnStop}: when the function stops, after its in-flight work drained. */
            STOP("stop");

            private final String indexName;

            Phase(String indexName) {
                this.indexName = indexName;
            }

            /** The phase's {@code phase} value in the index. */
            public String indexName() {
                return indexName;
            }

            /** The phase whose index name is {@code indexName}, or {@code null}. */
            public static Phase forIndexName(String indexName) {
                for (Phase p : values()) {
                    if (p.indexName.equals(indexName)) {
                        return p;
                    }
                }
                return null;
            }
        }

        /** Checks the phase is given. */
        public Lifecycle {
            Objects.requireNonNull(phase, "phase");
        }

        @Override
        public Kind kind() {
            return Kind.LIFECYCLE;
        }
    }

    /**
     * Each message of the deployment's device {@code device} triggers the method: the host adds
     * the route {@link #routeText(String)} to the deployment's routes, into the generated input
     * {@link #input()}.
     *
     * @param device the device's id ({@link #NAME_RULE})
     */
    record DeviceEvent(String device) implements TriggerDescriptor {
        /** What a device id may be: the rule the processor and the index reader apply. */
        public static final String NAME_RULE = "1 to 128 letters, digits, '-', '_', '.' and ':', starting with a letter or digit";

        /** How generated inputs begin; the dot keeps them apart from every input a user may name. */
        public static final String INPUT_PREFIX = "device.";

        private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

        /** Checks the device is given. */
        public DeviceEvent {
            Objects.requireNonNull(device, "device");
        }

        /** Whether {@code name} is a valid device id ({@link #NAME_RULE}). */
        public static boolean isValidName(String name) {
            return name != null && NAME.matcher(name).matches();
        }

        /** The generated input the device's messages go to: {@code device.<device>}. */
        public String input() {
            return INPUT_PREFIX + device;
        }

        /** The generated route's name in function {@code function}: {@code $device:<function>:<device>}. */
        public String routeName(String function) {
            return "$device:" + function + ":" + device;
        }

        /** The generated route, which sends the device's messages to {@link #input()} of {@code function}. */
        public String routeText(String function) {
            return "FROM /messages/* WHERE $connectionDeviceId = '" + device + "' INTO BrokeredEndpoint(\"/modules/"
                    + function + "/inputs/" + input() + "\")";
        }

        @Override
        public Kind kind() {
            return Kind.DEVICE_EVENT;
        }
    }

    /**
     * An HTTP request to {@code /fn/<function>/<path>} with one of {@code methods} triggers the
     * method, its body as the message body; the method's return value is the answer.
     *
     * @param path    the path below the function ({@link HttpPath#RULE})
     * @param methods the HTTP methods it takes, upper case, at least one, no repeats
     */
    record Http(String path, List<String> methods) implements TriggerDescriptor {
        /** The methods a trigger may take. */
        public static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

        /** Checks the path parses and the methods are known. */
        public Http {
            HttpPath.parse(path);
            methods = List.copyOf(methods);
            if (methods.isEmpty() || !METHODS.containsAll(methods) || methods.stream().distinct().count() != methods.size()) {
                throw new IllegalArgumentException("an HTTP trigger takes one or more distinct methods of " + METHODS
                        + ", not " + methods);
            }
        }

        @Override
        public Kind kind() {
            return Kind.HTTP;
        }
    }

    /**
     * Each MQTT message published on a topic matching one of {@code topics} triggers the method,
     * the payload as the body and the topic as the application property {@code mqtt-topic}.
     *
     * @param topics the topic filters, at least one, each valid ({@link #filterProblem})
     * @param qos    the subscription's quality of service, 0 or 1
     * @param broker the broker's name in the deployment's {@code brokers}, or empty for the gateway's hub
     */
    record Mqtt(List<String> topics, int qos, String broker) implements TriggerDescriptor {

        /** The most bytes a topic filter may have in UTF-8 (MQTT's string limit). */
        public static final int MAX_FILTER_BYTES = 65_535;

        /** Checks and copies the parts. */
        public Mqtt {
            topics = List.copyOf(topics);
            Objects.requireNonNull(broker, "broker");
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("an MQTT trigger has at least one topic filter");
            }
            for (String t : topics) {
                String problem = filterProblem(t);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
            }
            if (qos != 0 && qos != 1) {
                throw new IllegalArgumentException("an MQTT trigger's qos is 0 or 1, not " + qos);
            }
        }

        /**
         * What is wrong with {@code filter} as an MQTT topic filter, or {@code null} when it is valid:
         * not empty, no NUL, {@code +} only as a whole level, {@code #} only as the whole last level.
         */
        public static String filterProblem(String filter) {
            if (filter == null || filter.isEmpty()) {
                return "a topic filter must not be empty";
            }
            if (filter.indexOf('\0') >= 0) {
                return "topic filter '" + filter.replace("\0", "\\0") + "' holds a NUL character";
            }
            if (filter.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_FILTER_BYTES) {
                return "topic filter '" + filter.substring(0, 40) + "…' is longer than " + MAX_FILTER_BYTES + " bytes";
            }
            String[] levels = filter.split("/", -1);
            for (int i = 0; i < levels.length; i++) {
                String level = levels[i];
                if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                    return "topic filter '" + filter + "' has '#' " + (level.equals("#") ? "before its last level"
                            : "inside level '" + level + "'") + ": '#' stands alone as the last level, e.g. 'sensors/#'";
                }
                if (level.contains("+") && !level.equals("+")) {
                    return "topic filter '" + filter + "' has '+' inside level '" + level
                            + "': '+' stands alone as a whole level, e.g. 'plant/+/temperature'";
                }
            }
            return null;
        }

        @Override
        public Kind kind() {
            return Kind.MQTT;
        }
    }
}
