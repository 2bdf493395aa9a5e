package io.edgefn.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link LogFormat}: the accepted names, and switching a running process's logback to JSON lines
 * and back (the path {@code edgefn run --log-format json} takes when logback is configured already).
 */
class LogFormatTest {

    private final PrintStream originalErr = System.err;

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        LogFormat.use(LogFormat.TEXT);
        System.clearProperty(LogFormat.VARIABLE);
    }

    @Test
    void parse_takesTextAndJsonInAnyCase_andNamesWhereABadValueCameFrom() {
        assertThat(LogFormat.parse("json", "--log-format")).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.parse(" JSON ", "--log-format")).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.parse("text", "--log-format")).isEqualTo(LogFormat.TEXT);
        assertThatThrownBy(() -> LogFormat.parse("xml", "EDGEFN_LOG_FORMAT"))
                .hasMessage("EDGEFN_LOG_FORMAT must be text or json, was 'xml'");
        assertThatThrownBy(() -> LogFormat.parse(null, "--log-format"))
                .hasMessage("--log-format must be text or json, was 'null'");
    }

    @Test
    void use_json_reconfiguresTheRunningLogback_intoOneJsonObjectPerLine_withTheStackTrace() throws Exception {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LoggerFactory.getLogger("io.edgefn.test").debug("logback is configured before the switch");
        assertThat(root.getAppender("text")).isNotNull();

        LogFormat.use(LogFormat.JSON);
        assertThat(root.getAppender("json")).isNotNull();
        assertThat(root.getAppender("text")).isNull();
        assertThat(LogFormat.json()).isTrue();

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LoggerFactory.getLogger("io.edgefn.test").error("pump {} failed", "pump-01", new IllegalStateException("seized"));
        LogFormat.say("edgefn: stopped");
        System.err.flush();

        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        JsonNode error = new ObjectMapper().readTree(lines[0]);
        assertThat(error.path("level").asText()).isEqualTo("ERROR");
        assertThat(error.path("loggerName").asText()).isEqualTo("io.edgefn.test");
        assertThat(error.path("threadName").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(error.path("formattedMessage").asText()).isEqualTo("pump pump-01 failed");
        assertThat(error.path("timestamp").asLong()).isPositive();
        assertThat(error.path("throwable").path("className").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(error.path("throwable").path("message").asText()).isEqualTo("seized");
        assertThat(error.path("throwable").path("stepArray").get(0).path("methodName").asText())
                .isEqualTo("use_json_reconfiguresTheRunningLogback_intoOneJsonObjectPerLine_withTheStackTrace");
        JsonNode said = new ObjectMapper().readTree(lines[1]);
        assertThat(said.path("loggerName").asText()).isEqualTo("edgefn.run");
        assertThat(said.path("formattedMessage").asText()).isEqualTo("edgefn: stopped");

        LogFormat.use(LogFormat.TEXT);
        assertThat(root.getAppender("text")).isNotNull();
        assertThat(root.getAppender("json")).isNull();
    }
}
