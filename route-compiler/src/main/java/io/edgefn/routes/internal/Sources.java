package io.edgefn.routes.internal;

/** edgeHub's source canonicalisation and matching ({@code RC/messageSources}). Stateless. */
public final class Sources {

    private Sources() {
    }

    /**
     * The canonical form of a source: trimmed, trailing {@code *}s stripped, a trailing {@code /}
     * stripped (if longer than one character), then exactly one {@code /} appended:
     * {@code /messages/*} → {@code /messages/}, {@code /*} → {@code /}.
     */
    public static String canonical(String source) {
        String s = source.strip();
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '*') {
            end--;
        }
        s = s.substring(0, end);
        if (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.endsWith("/") ? s : s + "/";
    }

    /** Whether a message from {@code messageSource} matches route source {@code routeSource}: a case-insensitive prefix test of the canonical forms. */
    public static boolean matches(String routeSource, String messageSource) {
        String route = canonical(routeSource);
        String message = canonical(messageSource);
        return message.regionMatches(true, 0, route, 0, route.length());
    }
}
