package io.edgefn.index;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A method's own retry policy ({@code @Retry}), as the function index records it in the method's
 * {@code retry} object; it overrides the function's {@code retries}. Immutable.
 *
 * @param maxAttempts attempts in all, the first included; at least 1
 * @param delay       the wait before the first retry, an ISO-8601 duration, zero or more
 * @param backoff     what each wait is multiplied by for the next; at least 1, finite
 * @param maxDelay    the cap on every wait, an ISO-8601 duration, at least {@code delay}
 */
public record RetryDescriptor(int maxAttempts, String delay, double backoff, String maxDelay) {

    /**
     * Checks every element at once.
     *
     * @throws IllegalArgumentException naming every problem ({@link #problems})
     */
    public RetryDescriptor {
        List<String> problems = problems(maxAttempts, delay, backoff, maxDelay);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** The wait before the first retry. */
    public Duration delayDuration() {
        return Duration.parse(delay);
    }

    /** The cap on every wait. */
    public Duration maxDelayDuration() {
        return Duration.parse(maxDelay);
    }

    /**
     * What is wrong with these elements, one sentence each, empty when nothing is: the checks the
     * processor reports on the annotation and the index reader on the index.
     */
    public static List<String> problems(int maxAttempts, String delay, double backoff, String maxDelay) {
        List<String> problems = new ArrayList<>();
        if (maxAttempts < 1) {
            problems.add("maxAttempts is " + maxAttempts + ": it must be at least 1 (1 never retries)");
        }
        Duration d = duration("delay", delay, problems);
        Duration max = duration("maxDelay", maxDelay, problems);
        if (!(backoff >= 1) || Double.isInfinite(backoff)) {
            problems.add("backoff is " + backoff + ": it must be a finite multiplier of at least 1");
        }
        if (d != null && max != null && d.compareTo(max) > 0) {
            problems.add("delay " + delay + " is longer than maxDelay " + maxDelay + ": delay must be at most maxDelay");
        }
        return problems;
    }

    private static Duration duration(String what, String text, List<String> problems) {
        if (text == null) {
            problems.add(what + " is missing");
            return null;
        }
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative()) {
                problems.add(what + " " + text + " is negative: it must be zero or more");
                return null;
            }
            d.toMillis(); // too long for milliseconds: ArithmeticException
            return d;
        } catch (DateTimeParseException | ArithmeticException e) {
            problems.add(what + " '" + text + "' is not an ISO-8601 duration such as PT0.5S");
            return null;
        }
    }
}
