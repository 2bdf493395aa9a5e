package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.index.json.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeploymentTest {

    private static Deployment parse(String json) {
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "deploy.json", Path.of("/srv/edgefn"));
    }

    private static List<Problem> problems(String json) {
        try {
            parse(json);
        } catch (DeploymentException e) {
            return e.problems();
        }
        throw new AssertionError("expected the document to be refused: " + json);
    }

    @Test
    void parse_minimalDocument_hasOnlyRoutesAndDefaults() {
        Deployment d = parse("{\"routes\": {\"up\": \"FROM /messages/* INTO $upstream\"}}");

        assertThat(d.schemaVersion()).isEqualTo("edgefn/1");
        assertThat(d.version()).isNull();
        assertThat(d.routes()).containsExactly(
                new RouteEntry("up", "FROM /messages/* INTO $upstream", null, 0, false, "routes.up"));
        assertThat(d.packages()).isEmpty();
        assertThat(d.modules()).isEmpty();
        assertThat(d.devices()).isEmpty();
        assertThat(d.desired()).isEmpty();
        assertThat(d.storeAndForward()).isEqualTo(StoreAndForward.DEFAULT);
        assertThat(d.isEdgeManifest()).isFalse();
        assertThat(d.ignored()).isEmpty();
        assertThat(d.baseDirectory()).isEqualTo(Path.of("/srv/edgefn"));
    }

    @Test
    void parse_fullDocument_readsEveryPartInDocumentOrder() {
        Deployment d = parse("""
                {"schemaVersion": "edgefn/1", "version": "2026-11-26.1",
                 "packages": {
                   "pump": {"file": "pkgs/pump.jar", "sha256": "%s", "settings": {"window": 20}},
                   "extra": {"url": "https://example.com/extra.jar", "sha256": "%s"}
                 },
                 "routes": {
                   "up": "FROM /messages/modules/pump-analytics/outputs/* INTO $upstream",
                   "alerts": {"route": "FROM /messages/* WHERE level = 'bad' INTO BrokeredEndpoint(\\"/modules/pump-shutdown/inputs/anomalies\\")",
                              "priority": 0, "timeToLiveSecs": 60, "durable": true}
                 },
                 "modules": {"camera": {"inputs": ["frames", "commands"]}},
                 "devices": {"pump-1": {"driver": "sphere-link", "port": "/dev/ttyUSB0", "failSafeMillis": 500},
                             "pump-2": {"driver": "sphere-link", "port": "/dev/ttyUSB1", "baud": 9600}},
                 "storeAndForward": {"timeToLiveSecs": 86400, "maxBytes": 268435456, "fullPolicy": "drop-oldest"},
                 "desired": {"anomaly-detector": {"threshold": 3.5}}
                }
                """.formatted("ab".repeat(32), "CD".repeat(32)));

        assertThat(d.version()).isEqualTo("2026-11-26.1");
        assertThat(d.packages().keySet()).containsExactly("pump", "extra");
        PackageRef pump = d.packages().get("pump");
        assertThat(pump.file()).isEqualTo("pkgs/pump.jar");
        assertThat(pump.url()).isNull();
        assertThat(pump.settings().get("window").intValue()).isEqualTo(20);
        assertThat(d.resolve(pump)).isEqualTo(Path.of("/srv/edgefn/pkgs/pump.jar"));
        assertThat(d.packages().get("extra").sha256()).isEqualTo("cd".repeat(32));
        assertThat(d.routes()).extracting(RouteEntry::name).containsExactly("up", "alerts");
        RouteEntry alerts = d.routes().get(1);
        assertThat(alerts.priority()).isZero();
        assertThat(alerts.timeToLiveSecs()).isEqualTo(60);
        assertThat(alerts.durable()).isTrue();
        assertThat(alerts.text()).contains("BrokeredEndpoint(\"/modules/pump-shutdown/inputs/anomalies\")");
        assertThat(d.modules().get("camera").inputs()).containsExactly("frames", "commands");
        assertThat(d.devices().values()).containsExactly(
                new DeviceEntry("pump-1", "sphere-link", "/dev/ttyUSB0", 115200, 500L),
                new DeviceEntry("pump-2", "sphere-link", "/dev/ttyUSB1", 9600, null));
        assertThat(d.storeAndForward()).isEqualTo(new StoreAndForward(86400, 268435456L, "drop-oldest"));
        assertThat(d.desired().get("anomaly-detector").get("threshold").doubleValue()).isEqualTo(3.5);
    }

    @Test
    void desired_mutatingTheReturnedTree_doesNotChangeTheDeployment() {
        Deployment d = parse("{\"routes\": {}, \"desired\": {\"f\": {\"a\": 1}}, "
                + "\"packages\": {\"p\": {\"file\": \"p.jar\", \"settings\": {\"a\": 1}}}}");

        ((ObjectNode) d.desired().get("f")).put("a", 2);
        ((ObjectNode) d.packages().get("p").settings()).put("a", 2);

        assertThat(d.desired().get("f").get("a").intValue()).isEqualTo(1);
        assertThat(d.packages().get("p").settings().get("a").intValue()).isEqualTo(1);
    }

    /**
     * A bad document with {@code ^} marking where its one problem must be placed, the problem's
     * location, and words its message must hold.
     */
    static Stream<Arguments> badDocuments() {
        String sha = "a".repeat(64);
        return Stream.of(
                bad("{\"routes\": {}, ^\"packges\": {}}", "packges", "unknown key 'packges' at top level; did you mean 'packages'?"),
                bad("^{}", "", "missing required key 'routes' at top level"),
                bad("{\"routes\": ^[]}", "routes", "'routes' must be an object, not an array"),
                bad("{\"schemaVersion\": ^\"edgefn/2\", \"routes\": {}}", "schemaVersion",
                        "schemaVersion 'edgefn/2' is not supported"),
                bad("{\"version\": ^3, \"routes\": {}}", "version", "'version' must be a string, not a number"),
                bad("{\"routes\": {\"up\": ^5}}", "routes.up",
                        "route 'up' must be a string or an object with 'route', not a number"),
                bad("{\"routes\": {\"up\": ^\"  \"}}", "routes.up", "route 'up' is empty"),
                bad("{\"routes\": {^\"\": \"FROM /* INTO $upstream\"}}", "routes.", "a route name must not be empty"),
                bad("{\"routes\": {\n  \"alerts\": {\"route\": \"FROM /* INTO $upstream\", \"priority\": ^12}}}",
                        "routes.alerts.priority", "priority 12 of route 'alerts' is out of range 0-9"),
                bad("{\"routes\": {\"a\": {\"route\": \"FROM /* INTO $upstream\", \"priority\": ^\"1\"}}}",
                        "routes.a.priority", "priority of route 'a' must be a whole number 0-9, not a string \"1\""),
                bad("{\"routes\": {\"a\": {\"route\": \"FROM /* INTO $upstream\", \"timeToLiveSecs\": ^-1}}}",
                        "routes.a.timeToLiveSecs", "'timeToLiveSecs' is -1; it must be 0"),
                bad("{\"routes\": {\"a\": {\"route\": \"FROM /* INTO $upstream\", \"durable\": ^\"yes\"}}}",
                        "routes.a.durable", "'durable' must be true or false, not a string"),
                bad("{\"routes\": {\"a\": ^{\"priority\": 1}}}", "routes.a", "missing required key 'route' in routes.a"),
                bad("{\"routes\": {\"a\": {\"route\": \"FROM /* INTO $upstream\", ^\"priorty\": 1}}}",
                        "routes.a.priorty", "unknown key 'priorty' in routes.a; did you mean 'priority'?"),
                bad("{\"routes\": {\"a\": \"FROM /* INTO $upstream\", ^\"a\": \"FROM /x INTO $upstream\"}}",
                        "routes.a", "duplicate key 'a' in routes (first written at 1:13); only the first is used"),
                bad("{\"routes\": {}, \"packages\": {\"p\": ^{\"sha256\": \"" + sha + "\"}}}",
                        "packages.p", "package 'p' must give exactly one of 'file' or 'url'"),
                bad("{\"routes\": {}, \"packages\": {\"p\": ^{\"file\": \"p.jar\", \"url\": \"https://x.io/p.jar\", \"sha256\": \""
                        + sha + "\"}}}", "packages.p", "package 'p' must give exactly one of 'file' or 'url', not both"),
                bad("{\"routes\": {}, \"packages\": {\"pump\": {\"file\": \"p.jar\", \"sha256\": ^\"abc\"}}}",
                        "packages.pump.sha256", "'sha256' of package 'pump' must be 64 hex digits, but is 3 characters"),
                bad("{\"routes\": {}, \"packages\": {\"p\": ^{\"url\": \"https://x.io/p.jar\"}}}", "packages.p",
                        "package 'p' is fetched from a URL, so it must give its 'sha256'"),
                bad("{\"routes\": {}, \"packages\": {\"p\": {\"url\": ^\"ftp:/p.jar\", \"sha256\": \"" + sha + "\"}}}",
                        "packages.p.url", "it must be an absolute http or https URL"),
                bad("{\"routes\": {}, \"packages\": {\"p\": {\"file\": \"p.jar\", \"settings\": ^[1]}}}",
                        "packages.p.settings", "'settings' must be an object, not an array"),
                bad("{\"routes\": {}, \"packages\": {\"p\": ^\"p.jar\"}}", "packages.p",
                        "package 'p' must be an object, not a string"),
                bad("{\"routes\": {}, \"packages\": {^\"../../../escaped\": {\"file\": \"p.jar\"}}}",
                        "packages.../../../escaped", "package name '../../../escaped' is not allowed: a package name is 1 to"
                                + " 64 letters, digits, '.', '_' or '-', starting with a letter or digit"),
                bad("{\"routes\": {}, \"packages\": {^\"a/b\": {\"file\": \"p.jar\"}}}", "packages.a/b",
                        "package name 'a/b' is not allowed"),
                bad("{\"routes\": {}, \"packages\": {^\"\\u0000\": {\"file\": \"p.jar\"}}}", "packages.\\u0000",
                        "package name '\\u0000' is not allowed"),
                bad("{\"routes\": {}, \"packages\": {^\"..\": {\"file\": \"p.jar\"}}}", "packages...",
                        "package name '..' is not allowed"),
                bad("{\"routes\": {}, \"packages\": {^\"-rf\": {\"file\": \"p.jar\"}}}", "packages.-rf",
                        "package name '-rf' is not allowed"),
                bad("{\"routes\": {}, \"packages\": {^\"" + "p".repeat(65) + "\": {\"file\": \"p.jar\"}}}",
                        "packages." + "p".repeat(65), "is not allowed"),
                bad("{\"routes\": {}, \"packages\": {\"p\": {\"file\": ^\"p\\u0000.jar\"}}}", "packages.p.file",
                        "'file' of package 'p' is not a valid path: Nul character not allowed"),
                bad("{\"routes\": {}, \"devices\": {\"d\": ^{\"port\": \"/dev/ttyS0\"}}}", "devices.d",
                        "missing required key 'driver' in devices.d"),
                bad("{\"routes\": {}, \"devices\": {\"d\": {\"driver\": ^\"modbus\", \"port\": \"/dev/ttyS0\"}}}",
                        "devices.d.driver", "driver 'modbus' of device 'd' is not known; known drivers: sphere-link"),
                bad("{\"routes\": {}, \"devices\": {\"d\": ^{\"driver\": \"sphere-link\"}}}", "devices.d",
                        "missing required key 'port' in devices.d"),
                bad("{\"routes\": {}, \"devices\": {\"d\": {\"driver\": \"sphere-link\", \"port\": \"p\", \"baud\": ^0}}}",
                        "devices.d.baud", "'baud' is 0; it must be a positive number of bits per second"),
                bad("{\"routes\": {}, \"devices\": {\"a\": {\"driver\": \"sphere-link\", \"port\": \"p\"},"
                        + " \"b\": {\"driver\": \"sphere-link\", \"port\": ^\"p\"}}}", "devices.b.port",
                        "device 'b' uses port p, which device 'a' already uses"),
                bad("{\"routes\": {}, \"modules\": {\"m\": {\"inputs\": ^\"in\"}}}", "modules.m.inputs",
                        "'inputs' of module 'm' must be an array of input names, not a string"),
                bad("{\"routes\": {}, \"modules\": {\"m\": {\"inputs\": [\"in\", ^\"in\"]}}}", "modules.m.inputs[1]",
                        "input 'in' of module 'm' is listed twice"),
                bad("{\"routes\": {}, \"storeAndForward\": {\"fullPolicy\": ^\"drop-newest\"}}",
                        "storeAndForward.fullPolicy", "fullPolicy 'drop-newest' is not one of 'reject-new', 'drop-oldest'"),
                bad("{\"routes\": {}, \"storeAndForward\": {\"maxBytes\": ^0}}", "storeAndForward.maxBytes",
                        "'maxBytes' is 0; it must be a positive number of bytes"),
                bad("{\"routes\": {\"r\": {\"route\": \"FROM /* INTO $upstream\", \"timeToLiveSecs\": ^4294967296}}}",
                        "routes.r.timeToLiveSecs", "'timeToLiveSecs' is 4294967296; it must be 0 (use the store-and-forward"
                                + " time to live) to 4294967295 seconds"),
                // The limit the offline buffer would refuse at start, in words and at its JSON path (issue 13).
                bad("{\"routes\": {}, \"storeAndForward\": {\"maxBytes\": ^104857600}}", "storeAndForward.maxBytes",
                        "'maxBytes' is 104857600 bytes (100 MiB); it must be at least 134217728 bytes (128 MiB), because"
                                + " the offline buffer writes files of 64 MiB and needs room for two"),
                bad("{\"routes\": {}, \"storeAndForward\": {\"maxBytes\": ^1.5}}", "storeAndForward.maxBytes",
                        "'maxBytes' is a number 1.5, not a whole number; it must be a positive number of bytes"),
                bad("{\"routes\": {}, \"storeAndForward\": {\"timeToLiveSecs\": ^\"7200\"}}", "storeAndForward.timeToLiveSecs",
                        "'timeToLiveSecs' is a string \"7200\", not a whole number; it must be a positive number of seconds"),
                bad("{\"routes\": {}, \"desired\": {\"f\": ^3}}", "desired.f",
                        "desired properties 'f' must be an object, not a number"),
                bad("{\"routes\": {\"up\": \"FROM /* INTO $upstream\",^}}", "",
                        "malformed JSON: Unexpected character ('}' (code 125)): was expecting double-quote to start field name"),
                bad("{\"routes\": {\"up\": \"FROM /* INTO $upstream\"}^", "",
                        "malformed JSON: Unexpected end-of-input: expected close marker for Object"),
                bad("{\"routes\": {}} ^{}", "", "malformed JSON: unexpected '{' after the end of the document"),
                bad("^", "", "malformed JSON: the document is empty; expected a JSON object"),
                bad("^[1]", "", "a deployment must be a JSON object, not an array"));
    }

    /** A row of {@link #badDocuments()}: the document without its marker, and the marker's line and column. */
    static Arguments bad(String marked, String location, String message) {
        int at = marked.indexOf('^');
        String before = marked.substring(0, at);
        int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
        int column = at - before.lastIndexOf('\n');
        return Arguments.of(marked.substring(0, at) + marked.substring(at + 1), location, line, column, message);
    }

    @ParameterizedTest(name = "[{index}] {4}")
    @MethodSource("badDocuments")
    void parse_badDocument_namesTheProblemAndWhereItIs(String json, String location, int line, int column,
            String message) {
        List<Problem> problems = problems(json);

        assertThat(problems).hasSize(1);
        Problem p = problems.getFirst();
        assertThat(p.message()).contains(message);
        assertThat(p.location()).isEqualTo(location);
        assertThat(p.line()).as("line of %s", p).isEqualTo(line);
        assertThat(p.column()).as("column of %s", p).isEqualTo(column);
    }

    @Test
    void parse_manyProblems_reportsEveryOneInFileOrderInOneException() {
        String json = """
                {"rutes": {},
                 "packages": {"pump": {"file": "p.jar", "sha256": "xyz"}},
                 "storeAndForward": {"fullPolicy": "never"}}
                """;

        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(DeploymentException.class)
                .satisfies(e -> assertThat(((DeploymentException) e).problems())
                        .extracting(Problem::location)
                        .containsExactly("", "rutes", "packages.pump.sha256", "storeAndForward.fullPolicy"))
                .hasMessageContaining("deployment deploy.json is invalid (4 problems):")
                .hasMessageContaining("deploy.json:1:2: rutes: unknown key 'rutes' at top level; did you mean 'routes'?")
                .hasMessageContaining("deploy.json:2:51: packages.pump.sha256: 'sha256' of package 'pump' must be 64 hex digits")
                .hasMessageContaining("deploy.json:1:1: missing required key 'routes' at top level");
    }

    @Test
    void parse_packageNamesThatAreNamesOfFiles_areAccepted() {
        Deployment d = parse("{\"routes\": {}, \"packages\": {\"pump-functions_2.1\": {\"file\": \"a.jar\"},"
                + " \"" + "P".repeat(64) + "\": {\"file\": \"b.jar\"}}}");

        assertThat(d.packages()).containsOnlyKeys("pump-functions_2.1", "P".repeat(64));
    }

    @Test
    void parse_controlCharactersInAPackageName_areShownEscapedNeverRaw() {
        String json = "{\"routes\": {}, \"packages\": {\"evil\\u001b[2J\\u0000\\n\": {\"file\": \"p.jar\"}}}";

        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(DeploymentException.class)
                .hasMessage("deployment deploy.json is invalid (1 problem):\n  deploy.json:1:29: packages.evil\\u001b[2J"
                        + "\\u0000\\u000a: package name 'evil\\u001b[2J\\u0000\\u000a' is not allowed: a package name is 1"
                        + " to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, because it names the"
                        + " file the host copies the jar to")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\0", "\033")
                        .hasLineCount(2));
    }

    @Test
    void parse_unknownKeyFarFromAnyKnownOne_listsTheKnownKeys() {
        assertThat(problems("{\"routes\": {}, \"zzzzzzzz\": 1}").getFirst().message())
                .isEqualTo("unknown key 'zzzzzzzz' at top level; known keys are schemaVersion, version, packages, routes,"
                        + " modules, devices, storeAndForward, desired, brokers, signature, healthGate");
    }
}
