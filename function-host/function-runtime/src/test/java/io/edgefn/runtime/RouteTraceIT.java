package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgefn.api.Message;
import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.internal.RouteGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A running host answers "why didn't my route fire" in its log, for the routes asked about. */
class RouteTraceIT {

    @TempDir
    Path dir;

    @Test
    void tracedRoute_logsWhyItDidNotFire() throws Exception {
        Path jar = TestPackages.build(dir, "echo", Map.of("t.Echo", """
                package t;
                import io.edgefn.api.*;
                @EdgeFunction("echo")
                public class Echo {
                    @RouteTrigger(input = "in") @SendTo("out") public String onMessage(String body) { return body; }
                }"""));
        String json = """
                {"packages": {"t": {"file": "%s"}},
                 "routes": {"hot": "FROM /messages/* WHERE as_number(temp) > 90 INTO BrokeredEndpoint(\\"/modules/echo/inputs/in\\")",
                            "other": "FROM /messages/modules/* INTO $upstream"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment d = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "trace deployment", dir);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger routerLog = (Logger) LoggerFactory.getLogger(RouteGraph.class);
        routerLog.addAppender(log);
        ch.qos.logback.classic.Level previous = routerLog.getLevel();
        routerLog.setLevel(ch.qos.logback.classic.Level.INFO);
        try (EdgeHost host = EdgeHost.builder().deployment(d).dataDirectory(dir.resolve("data"))
                .traceRoutes(Set.of("hot")).build().start()) {
            host.submit(Message.builder().body("x").property("temp", "71").build()).get();
            host.submit(Message.builder().body("y").build()).get();
        } finally {
            routerLog.detachAppender(log);
            routerLog.setLevel(previous);
        }
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).contains("route 'hot' CONDITION_FALSE"))
                .anySatisfy(line -> assertThat(line).contains("route 'hot' CONDITION_UNDEFINED").contains("temp"))
                .noneSatisfy(line -> assertThat(line).contains("route 'other'"));
    }

    @Test
    void tracedRoute_withControlCharactersInItsNameAndTheMessage_logsThemEscaped() throws Exception {
        String name = "hot\u001b[2J\u001b]0;pwned\u0007";
        Deployment d = Deployment.parse("""
                {"routes": {"hot\\u001b[2J\\u001b]0;pwned\\u0007": "FROM /messages/* WHERE $body.t > 90 INTO $upstream"}}
                """.getBytes(StandardCharsets.UTF_8), "trace deployment", dir);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger routerLog = (Logger) LoggerFactory.getLogger(RouteGraph.class);
        routerLog.addAppender(log);
        ch.qos.logback.classic.Level previous = routerLog.getLevel();
        routerLog.setLevel(ch.qos.logback.classic.Level.INFO);
        try (EdgeHost host = EdgeHost.builder().deployment(d).dataDirectory(dir.resolve("data"))
                .traceRoutes(Set.of(name)).build().start()) {
            host.submit(Message.builder().body("{}").systemProperty("contentType", "text/\u001b[31mred").build()).get();
        } finally {
            routerLog.detachAppender(log);
            routerLog.setLevel(previous);
        }
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line)
                        .contains("route 'hot\\u001b[2J\\u001b]0;pwned\\u0007' CONDITION_UNDEFINED")
                        .contains("contentType is 'text/\\u001b[31mred'"))
                .allSatisfy(line -> assertThat(line).doesNotContain("\u001b", "\u0007"));
    }
}
