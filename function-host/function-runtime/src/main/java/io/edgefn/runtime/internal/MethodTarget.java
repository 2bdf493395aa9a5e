package io.edgefn.runtime.internal;

/**
 * What a bound trigger method calls: a Java method through its compile-time generated invoker,
 * or a script function of another language. The {@link Invoker} calls it on the invocation's
 * thread, under its watchdog, and treats whatever it throws as the invocation's failure.
 *
 * <p>Implementations must be safe to call from several threads at once when the function's
 * {@code maxConcurrency} is above 1.
 */
@FunctionalInterface
interface MethodTarget {

    /**
     * Calls the method on {@code instance} (the function's instance, as its supervisor created
     * it) with the bound {@code args}; returns its return value ({@code null} for {@code void}).
     */
    Object invoke(Object instance, Object[] args) throws Exception;

    /**
     * The invocation running {@code instance}'s method on {@code thread} passed its timeout: stop
     * it if this kind of method can be stopped. Called by the {@link Invoker}'s watchdog, on the
     * scheduler, besides interrupting the thread; must return at once. A Java method cannot be
     * stopped (this default does nothing); a script's context is cancelled.
     */
    default void timedOut(Object instance, Thread thread, String reason) {
    }
}
