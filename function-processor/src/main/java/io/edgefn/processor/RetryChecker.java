package io.edgefn.processor;

import io.edgefn.api.Retry;
import io.edgefn.index.RetryDescriptor;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;

/**
 * Checks a method's {@link Retry}, reporting each problem on the annotation element it is about
 * (on the annotation itself for an element left at its default). Stateless.
 */
final class RetryChecker {

    private RetryChecker() {
    }

    /**
     * The method's retry policy: empty without {@code @Retry}, {@code null} when it has errors
     * (which are reported).
     *
     * @param direct    whether the method serves a direct method (never retried)
     * @param lifecycle whether it is a lifecycle hook (never retried)
     */
    static Optional<RetryDescriptor> check(ExecutableElement method, String name, boolean direct, boolean lifecycle,
                                           Diagnostics diagnostics) {
        Retry retry = method.getAnnotation(Retry.class);
        if (retry == null) {
            return Optional.empty();
        }
        AnnotationMirror mirror = mirror(method);
        if (direct || lifecycle) {
            diagnostics.error(method, mirror, null, "method " + name + " has @Retry, but "
                    + (direct ? "a direct method is answered, never retried: the caller decides whether to call again"
                    : "a lifecycle hook is never retried (a failed @OnStart is retried with the whole start, per the"
                    + " host's restart policy)"));
            return null;
        }
        boolean ok = true;
        if (retry.maxAttempts() < 1) {
            diagnostics.error(method, mirror, value(mirror, "maxAttempts"), "@Retry on method " + name + " has maxAttempts "
                    + retry.maxAttempts() + ": it must be at least 1 (1 never retries)");
            ok = false;
        }
        Duration delay = duration(method, mirror, name, "delay", retry.delay(), diagnostics);
        Duration maxDelay = duration(method, mirror, name, "maxDelay", retry.maxDelay(), diagnostics);
        ok &= delay != null && maxDelay != null;
        if (!(retry.backoff() >= 1) || Double.isInfinite(retry.backoff())) {
            diagnostics.error(method, mirror, value(mirror, "backoff"), "@Retry on method " + name + " has backoff "
                    + retry.backoff() + ": it must be a finite multiplier of at least 1 (1 keeps the waits equal)");
            ok = false;
        }
        if (delay != null && maxDelay != null && delay.compareTo(maxDelay) > 0) {
            AnnotationValue at = value(mirror, "maxDelay");
            diagnostics.error(method, mirror, at != null ? at : value(mirror, "delay"), "@Retry on method " + name
                    + " has delay " + retry.delay() + " longer than maxDelay " + retry.maxDelay()
                    + ": delay must be at most maxDelay");
            ok = false;
        }
        return ok ? Optional.of(new RetryDescriptor(retry.maxAttempts(), retry.delay(), retry.backoff(), retry.maxDelay()))
                : null;
    }

    /** The {@code @Retry} mirror on {@code method}, or null. */
    static AnnotationMirror mirror(ExecutableElement method) {
        for (AnnotationMirror m : method.getAnnotationMirrors()) {
            if (m.getAnnotationType().toString().equals(Retry.class.getCanonicalName())) {
                return m;
            }
        }
        return null;
    }

    private static Duration duration(ExecutableElement method, AnnotationMirror mirror, String name, String element,
                                     String text, Diagnostics diagnostics) {
        try {
            Duration d = Duration.parse(text);
            if (!d.isNegative()) {
                d.toMillis();
                return d;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // reported below
        }
        diagnostics.error(method, mirror, value(mirror, element), "@Retry on method " + name + " has " + element + " \""
                + text + "\": it must be an ISO-8601 duration of zero or more, such as \"PT0.5S\" or \"PT1M\"");
        return null;
    }

    /** The explicitly given value of {@code element}, or null when it is left at its default. */
    private static AnnotationValue value(AnnotationMirror mirror, String element) {
        if (mirror == null) {
            return null;
        }
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(element)) {
                return e.getValue();
            }
        }
        return null;
    }
}
