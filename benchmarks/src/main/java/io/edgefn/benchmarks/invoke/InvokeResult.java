package io.edgefn.benchmarks.invoke;

import java.util.Locale;

/**
 * What one {@code edgefn bench invoke} run measured.
 *
 * @param options                  what was run
 * @param javaOverheadMicros       median over rounds of (host − direct call) per message, µs
 * @param hostMicrosPerMessage     median time per message through the host, µs
 * @param directMicrosPerMessage   median time per direct call, µs
 * @param javaActivationColdMillis the first host of the JVM: build to first copy at the sink
 * @param javaActivationMillis     median of later hosts in the warm JVM
 */
record InvokeResult(InvokeOptions options, double javaOverheadMicros, double hostMicrosPerMessage,
                    double directMicrosPerMessage, double javaActivationColdMillis, double javaActivationMillis) {

    /** The targets of issue 11. */
    static final double JAVA_OVERHEAD_TARGET_MICROS = 2;
    static final double ACTIVATION_TARGET_MILLIS = 200;

    /** One JSON object, the run's last line. */
    String toJson() {
        return String.format(Locale.ROOT, "{\"benchmark\":\"invoke\",\"quick\":%b,\"messages\":%d,\"rounds\":%d,"
                        + "\"payloadBytes\":%d,\"javaOverheadMicros\":%.2f,\"hostMicrosPerMessage\":%.2f,"
                        + "\"hostMessagesPerSec\":%.0f,\"directMicrosPerMessage\":%.3f,"
                        + "\"javaActivationMillis\":%.1f,\"javaActivationColdMillis\":%.1f,"
                        + "\"jsCallMicros\":null,\"jsActivationMillis\":null,"
                        + "\"targets\":{\"javaOverheadMicros\":%s,\"javaActivationMillis\":%s}}",
                options.quick(), options.messages(), options.rounds(), options.payloadBytes(), javaOverheadMicros,
                hostMicrosPerMessage, 1e6 / hostMicrosPerMessage, directMicrosPerMessage, javaActivationMillis,
                javaActivationColdMillis, verdict(javaOverheadMicros <= JAVA_OVERHEAD_TARGET_MICROS),
                verdict(javaActivationMillis <= ACTIVATION_TARGET_MILLIS));
    }

    private static String verdict(boolean met) {
        return met ? "\"met\"" : "\"missed\"";
    }
}
