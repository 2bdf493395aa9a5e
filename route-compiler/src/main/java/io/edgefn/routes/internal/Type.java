package io.edgefn.routes.internal;

/** The static types of edgeHub's condition language, with the names its error messages print. */
enum Type {
    NUMBER("number"), STRING("string"), BOOL("bool"), NULL("null"), UNDEFINED("undefined"), QUERY("unknown");

    final String printed;

    Type(String printed) {
        this.printed = printed;
    }
}
