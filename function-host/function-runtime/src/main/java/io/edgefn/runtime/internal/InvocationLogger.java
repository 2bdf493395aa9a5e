package io.edgefn.runtime.internal;

import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link System.Logger} a function gets: writes to SLF4J under {@code edgefn.function.<name>},
 * each line prefixed with the invocation id so a failure can be traced to one call.
 */
final class InvocationLogger implements System.Logger {

    private final Logger delegate;
    private final String prefix;

    InvocationLogger(String functionName, String invocationId) {
        this.delegate = LoggerFactory.getLogger("edgefn.function." + functionName);
        this.prefix = "[" + invocationId + "] ";
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return switch (level) {
            case ALL, TRACE -> delegate.isTraceEnabled();
            case DEBUG -> delegate.isDebugEnabled();
            case INFO -> delegate.isInfoEnabled();
            case WARNING -> delegate.isWarnEnabled();
            case ERROR -> delegate.isErrorEnabled();
            case OFF -> false;
        };
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        String text = prefix + msg;
        switch (level) {
            case ALL, TRACE -> delegate.trace(text, thrown);
            case DEBUG -> delegate.debug(text, thrown);
            case INFO -> delegate.info(text, thrown);
            case WARNING -> delegate.warn(text, thrown);
            case ERROR -> delegate.error(text, thrown);
            case OFF -> { }
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        String text = params == null || params.length == 0 ? format : java.text.MessageFormat.format(format, params);
        log(level, bundle, text, (Throwable) null);
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier) {
        if (isLoggable(level)) {
            log(level, null, msgSupplier.get(), (Throwable) null);
        }
    }
}
