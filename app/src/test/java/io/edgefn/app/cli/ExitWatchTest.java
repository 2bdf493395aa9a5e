package io.edgefn.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExitWatchTest {

    private static StackTraceElement frame(String className, String method) {
        return new StackTraceElement(className, method, className.substring(className.lastIndexOf('.') + 1) + ".java", 7);
    }

    @Test
    void classify_exitFromTheJdksSignalHandler_isAStopTheOperatorAskedFor() {
        ExitWatch.Exit exit = ExitWatch.classify("SIGTERM handler", new StackTraceElement[] {
                frame("java.lang.Shutdown", "logRuntimeExit"), frame("java.lang.Shutdown", "exit"),
                frame("java.lang.Terminator$1", "handle"), frame("jdk.internal.misc.Signal$1", "run"),
                frame("java.lang.Thread", "run")}, 143);

        assertThat(exit.unexpected()).isFalse();
    }

    @Test
    void classify_exitCalledThroughReflection_isUnexpected_andNamesTheCallerPastTheReflection() {
        ExitWatch.Exit exit = ExitWatch.classify("edgefn-fn-3", new StackTraceElement[] {
                frame("java.lang.Shutdown", "logRuntimeExit"), frame("java.lang.Shutdown", "exit"),
                frame("java.lang.Runtime", "exit"), frame("java.lang.System", "exit"),
                frame("jdk.internal.reflect.DirectMethodHandleAccessor", "invoke"), frame("java.lang.reflect.Method", "invoke"),
                frame("t.Exiter", "tick"), frame("java.lang.Thread", "run")}, 0);

        assertThat(exit.unexpected()).isTrue();
        assertThat(exit.caller().getClassName()).isEqualTo("t.Exiter");
        assertThat(exit.describe()).startsWith("System.exit/Runtime.exit(0) was called by t.Exiter.tick (Exiter.java:7) "
                + "on thread edgefn-fn-3, not by the host").contains("\tat t.Exiter.tick(Exiter.java:7)")
                .doesNotContain("java.lang.Shutdown");
    }

    @Test
    void cause_withNoExitCallSeen_isUnexpected() {
        ExitWatch watch = ExitWatch.install();

        ExitWatch.Exit exit = watch.cause();

        assertThat(exit.unexpected()).isTrue();
        assertThat(exit.describe()).contains("no exit call or signal was seen");
    }
}
