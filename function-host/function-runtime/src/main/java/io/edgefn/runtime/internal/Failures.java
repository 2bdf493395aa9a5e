package io.edgefn.runtime.internal;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Finds the failure worth reporting under the wrappers that futures, reflection and Micronaut add,
 * and describes failures without trusting them: a user's exception is user code too.
 */
final class Failures {

    private Failures() {
    }

    /** The first cause that is not a wrapper; {@code t} itself when it is none. */
    static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while ((c instanceof ExecutionException || c instanceof CompletionException || c instanceof InvocationTargetException
                || c.getClass().getName().startsWith("io.micronaut.context.exceptions."))
                && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * {@code t.toString()}, or its class name when that throws: a function's exception may
     * override {@code toString} or {@code getMessage}, and a report must never fail on it.
     */
    static String describe(Throwable t) {
        try {
            return String.valueOf(t);
        } catch (Throwable broken) {
            return t.getClass().getName() + " (whose toString() threw " + broken.getClass().getName() + ")";
        }
    }
}
