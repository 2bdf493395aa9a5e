package io.edgefn.routes.internal;

/**
 * A route statement after parsing, before its condition is compiled and its sink checked.
 *
 * @param sourceText    the source as written
 * @param sourceStart   offset of the source
 * @param sourceEnd     offset just after the source
 * @param condition     the condition, or {@code null} when there is no WHERE
 * @param conditionText the exact text of the condition, or {@code "true"} without WHERE
 * @param sinkText      the sink as written ({@code $upstream}, {@code BrokeredEndpoint("…")})
 * @param sinkName      {@code $name} of a system endpoint, or the function-style endpoint's name
 * @param sinkAddress   the raw text between the quotes of a function-style endpoint, else {@code null}
 * @param sinkStart     offset of the sink
 * @param sinkEnd       offset just after the sink
 */
record ParsedRoute(String sourceText, int sourceStart, int sourceEnd, Expr condition, String conditionText,
                   String sinkText, String sinkName, String sinkAddress, int sinkStart, int sinkEnd) {
}
