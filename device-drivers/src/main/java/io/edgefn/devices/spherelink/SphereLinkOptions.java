package io.edgefn.devices.spherelink;

import io.edgefn.devices.DeviceConfig;
import io.edgefn.devices.DeviceDriverException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Sphere link driver's tunables, read from {@link DeviceConfig#options()}; every default is
 * the spec's number.
 *
 * @param commandTries       how many times a COMMAND is sent before it times out ({@code commandTries}, 3)
 * @param commandRetry       the wait between tries, and after the last ({@code commandRetryMillis}, 200)
 * @param pingAfterQuiet     silence after which the gateway sends PING ({@code pingAfterQuietMillis}, 1000)
 * @param offlineAfterSilence silence after which the device is offline ({@code offlineAfterSilenceMillis}, 3000)
 * @param tick               how often the link's watchdog looks at the clock ({@code tickMillis}, 100)
 * @param reconnectInitial   the first wait before reopening a port ({@code reconnectInitialMillis}, 100)
 * @param reconnectMax       the longest wait between reopening attempts ({@code reconnectMaxMillis}, 5000)
 */
record SphereLinkOptions(int commandTries, Duration commandRetry, Duration pingAfterQuiet,
                         Duration offlineAfterSilence, Duration tick, Duration reconnectInitial,
                         Duration reconnectMax) {

    static final Set<String> KNOWN = Set.of("commandTries", "commandRetryMillis", "pingAfterQuietMillis",
            "offlineAfterSilenceMillis", "tickMillis", "reconnectInitialMillis", "reconnectMaxMillis");

    /** Reads the options of {@code config}, reporting every unknown or invalid one together. */
    static SphereLinkOptions from(DeviceConfig config) {
        Map<String, Object> o = config.options();
        List<String> problems = new ArrayList<>();
        for (String key : o.keySet()) {
            if (!KNOWN.contains(key)) {
                problems.add("unknown option '" + key + "' (known: " + KNOWN.stream().sorted().toList() + ")");
            }
        }
        int tries = (int) positive(o, "commandTries", 3, problems);
        Duration retry = millis(o, "commandRetryMillis", 200, problems);
        Duration ping = millis(o, "pingAfterQuietMillis", 1000, problems);
        Duration silence = millis(o, "offlineAfterSilenceMillis", 3000, problems);
        Duration tick = millis(o, "tickMillis", 100, problems);
        Duration initial = millis(o, "reconnectInitialMillis", 100, problems);
        Duration max = millis(o, "reconnectMaxMillis", 5000, problems);
        if (problems.isEmpty() && max.compareTo(initial) < 0) {
            problems.add("reconnectMaxMillis (" + max.toMillis() + ") must not be below reconnectInitialMillis ("
                    + initial.toMillis() + ")");
        }
        if (problems.isEmpty() && silence.compareTo(ping) <= 0) {
            problems.add("offlineAfterSilenceMillis (" + silence.toMillis()
                    + ") must exceed pingAfterQuietMillis (" + ping.toMillis() + ")");
        }
        if (problems.isEmpty() && config.failSafe() != null && config.failSafe().compareTo(ping) <= 0) {
            problems.add("failSafe (" + config.failSafe().toMillis() + " ms) must exceed pingAfterQuietMillis ("
                    + ping.toMillis() + "), or the MCU stops the machine while the gateway is healthy");
        }
        if (!problems.isEmpty()) {
            throw new DeviceDriverException(config.deviceId(), "sphere-link options: " + String.join("; ", problems));
        }
        return new SphereLinkOptions(tries, retry, ping, silence, tick, initial, max);
    }

    private static Duration millis(Map<String, Object> o, String key, long fallback, List<String> problems) {
        return Duration.ofMillis(positive(o, key, fallback, problems));
    }

    private static long positive(Map<String, Object> o, String key, long fallback, List<String> problems) {
        if (!o.containsKey(key)) {
            return fallback;
        }
        Object v = o.get(key);
        long value;
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            value = n.longValue();
        } else if (v instanceof String s && s.strip().matches("\\d{1,12}")) {
            value = Long.parseLong(s.strip());
        } else {
            problems.add("option '" + key + "' must be a whole number, was: " + v);
            return fallback;
        }
        if (value <= 0 || value > Integer.MAX_VALUE) {
            problems.add("option '" + key + "' must be positive, was: " + value);
            return fallback;
        }
        return value;
    }
}
