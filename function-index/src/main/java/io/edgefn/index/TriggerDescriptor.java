package io.edgefn.index;

import java.util.List;
import java.util.Objects;

/**
 * What triggers a function method, as the function index records it: a route input or a timer.
 * Immutable.
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
        TIMER("timer", List.of("fixedRate", "fixedRateMillis", "cron"));

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
}
