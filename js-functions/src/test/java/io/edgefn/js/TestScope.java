package io.edgefn.js;

import io.edgefn.api.Message;
import io.edgefn.bindings.InvocationScope;
import io.edgefn.bindings.JsonSettings;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** A scope for one test invocation, logging to a list. */
final class TestScope extends InvocationScope {

    final List<String> logged = new ArrayList<>();

    TestScope(Message message) {
        super("fn", "fn#1", message, InstantSource.fixed(Instant.ofEpochMilli(1_000)), JsonSettings.empty("fn"));
    }

    @Override
    public System.Logger logger() {
        return new System.Logger() {
            @Override
            public String getName() {
                return "fn";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
                logged.add(level + " " + msg);
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
                logged.add(level + " " + format);
            }
        };
    }

    /** Everything the invocation sent, as "output: body". */
    List<String> sent() {
        List<String> sent = new ArrayList<>();
        outputs().forEach(o -> o.messages().forEach(m -> sent.add(o.outputName() + ": " + m.bodyAsString())));
        return sent;
    }
}
