package io.edgefn.routes.internal;

/**
 * Something a condition reads from a message, kept for explaining undefined results.
 *
 * @param kind what is read
 * @param name the property name or body path
 * @param path the compiled body path ({@link Kind#BODY} only)
 */
record Reference(Kind kind, String name, BodyPath path) {

    /** What a reference reads. */
    enum Kind {
        /** An application property ({@code temp}). */
        APP,
        /** {@code $name}: the application property {@code $name}, else the system property. */
        DOLLAR,
        /** {@code {$name}}: the system property only. */
        SYSTEM,
        /** A {@code $body} path. */
        BODY
    }
}
