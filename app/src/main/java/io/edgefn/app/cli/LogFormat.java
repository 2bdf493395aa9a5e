package io.edgefn.app.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How edgefn's log lines look on stderr: {@code text} for a person at a terminal, or {@code json},
 * one JSON object per line (logback's {@code JsonEncoder}: timestamp, level, loggerName,
 * threadName, formattedMessage, mdc, throwable with its stack) for journald and log shippers.
 * {@code logback.xml} picks the appender from {@code EDGEFN_LOG_FORMAT} (a system property, else
 * the environment variable); {@link #use} switches a running process to another format, which
 * {@code edgefn run --log-format} does before the host starts.
 *
 * <p>In {@code json} mode the lines the commands print on stderr themselves ({@link #say}) and a
 * failed command's error go through the logger too, so that stderr holds JSON lines only.
 *
 * <p>Threading: {@link #use} reconfigures logback and is meant for the main thread before the host
 * starts; the other methods are safe from any thread.
 */
enum LogFormat {
    /** Human-readable lines, the default. */
    TEXT,
    /** One JSON object per line. */
    JSON;

    /** The variable (and system property) that selects the format. */
    static final String VARIABLE = "EDGEFN_LOG_FORMAT";

    /**
     * The format named {@code value} ({@code text} or {@code json}, any case).
     *
     * @param where what gave the value, for the error (e.g. {@code --log-format})
     * @throws IllegalArgumentException naming {@code where} and the accepted values
     */
    static LogFormat parse(String value, String where) {
        String name = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException(where + " must be text or json, was '" + value + "'");
        };
    }

    /** The format in effect: the system property, else the environment variable, else {@link #TEXT}. */
    static LogFormat current() {
        String value = System.getProperty(VARIABLE, System.getenv(VARIABLE));
        if (value == null || value.isBlank()) {
            return TEXT;
        }
        try {
            return parse(value, VARIABLE);
        } catch (IllegalArgumentException e) {
            return TEXT;
        }
    }

    /** Whether log lines (and {@link #say}) are JSON. */
    static boolean json() {
        return current() == JSON;
    }

    /**
     * Switches this process's logging to {@code format}: sets the system property, which
     * {@code logback.xml} reads, and reloads {@code logback.xml} when logback was configured for
     * the other format already. Does nothing more when logback is not the SLF4J binding.
     */
    static void use(LogFormat format) {
        String name = format.name().toLowerCase(Locale.ROOT);
        System.setProperty(VARIABLE, name);
        // Configures logback now if nothing logged yet, with the property just set.
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)
                || context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(name) != null) {
            return;
        }
        URL config = LogFormat.class.getResource("/logback.xml");
        if (config == null) {
            return;
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("logback.xml cannot be loaded for --log-format " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * A line for the operator on stderr: printed as is in {@code text} mode, logged at INFO by the
     * logger {@code edgefn.run} in {@code json} mode.
     */
    static void say(String line) {
        if (json()) {
            LoggerFactory.getLogger("edgefn.run").info(line);
        } else {
            System.err.println(line);
        }
    }

    /** Like {@link #say}, at WARN in {@code json} mode. */
    static void warn(String line) {
        if (json()) {
            LoggerFactory.getLogger("edgefn.run").warn(line);
        } else {
            System.err.println(line);
        }
    }
}
