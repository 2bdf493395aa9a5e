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
 * @param jsCallMicros             median over rounds of (JavaScript host − Java host) per message, µs
 * @param jsHostMicrosPerMessage   median time per message through the host with the JavaScript function
 * @param jsActivationColdMillis   the first JavaScript host of the JVM (engine classes loading)
 * @param jsActivationMillis       median of later JavaScript hosts
 * @param jsRuntime                the Truffle runtime that ran the scripts (e.g. {@code Interpreted})
 */
record InvokeResult(InvokeOptions options, double javaOverheadMicros, double hostMicrosPerMessage,
                    double directMicrosPerMessage, double javaActivationColdMillis, double javaActivationMillis,
                    double jsCallMicros, double jsHostMicrosPerMessage, double jsActivationColdMillis,
                    double jsActivationMillis, String jsRuntime) {

    /** The targets of issue 11. */
    static final double JAVA_OVERHEAD_TARGET_MICROS = 2;
    static final double ACTIVATION_TARGET_MILLIS = 200;
    static final double JS_CALL_TARGET_MICROS = 50;

    /** One JSON object, the run's last line. */
    String toJson() {
        return String.format(Locale.ROOT, "{\"benchmark\":\"invoke\",\"quick\":%b,\"messages\":%d,\"rounds\":%d,"
                        + "\"payloadBytes\":%d,\"javaOverheadMicros\":%.2f,\"hostMicrosPerMessage\":%.2f,"
                        + "\"hostMessagesPerSec\":%.0f,\"directMicrosPerMessage\":%.3f,"
                        + "\"javaActivationMillis\":%.1f,\"javaActivationColdMillis\":%.1f,"
                        + "\"jsCallMicros\":%.2f,\"jsHostMicrosPerMessage\":%.2f,\"jsActivationMillis\":%.1f,"
                        + "\"jsActivationColdMillis\":%.1f,\"jsRuntime\":\"%s\","
                        + "\"targets\":{\"javaOverheadMicros\":%s,\"jsCallMicros\":%s,\"jsActivationMillis\":%s,"
                        + "\"javaActivationMillis\":%s}}",
                options.quick(), options.messages(), options.rounds(), options.payloadBytes(), javaOverheadMicros,
                hostMicrosPerMessage, 1e6 / hostMicrosPerMessage, directMicrosPerMessage, javaActivationMillis,
                javaActivationColdMillis, jsCallMicros, jsHostMicrosPerMessage, jsActivationMillis, jsActivationColdMillis,
                jsRuntime, verdict(javaOverheadMicros <= JAVA_OVERHEAD_TARGET_MICROS),
                verdict(jsCallMicros <= JS_CALL_TARGET_MICROS), verdict(jsActivationMillis <= ACTIVATION_TARGET_MILLIS),
                verdict(javaActivationMillis <= ACTIVATION_TARGET_MILLIS));
    }

    private static String verdict(boolean met) {
        return met ? "\"met\"" : "\"missed\"";
    }
}
