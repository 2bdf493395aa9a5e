package io.edgefn.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.runtime.DataDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgefn send}: puts messages into a running host as if a device had sent them, through
 * the management API's {@code POST /messages}, and says when each was taken. Finds the host
 * through its data directory ({@code http.port} and {@code management.token}, a demo's
 * {@code host/} directory too) or is given its address and token. Messages are sent one after
 * another, each once the one before was answered. Exit status: 0 when every message was taken,
 * 1 when one was not (or no host answers), 2 on a usage error.
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Puts messages into a running host as if device ID had sent them: the same stamping and routes as "
                + "a device's message. Prints, for each message, its id and 'taken' once every sink the routes chose took it "
                + "(for $upstream: on disk), or why not.",
                "A body that parses as JSON is sent with contentType application/json and contentEncoding utf-8, so $body "
                + "routes can read it.",
                "Finds the host through --data-dir (its http.port and management.token files). --gateway and --token reach "
                + "one elsewhere, only if its owner has exposed the loopback-only API (docs/management-api.md).",
                "Exit status: 0 when every message was taken, 1 when one was not, 2 on a usage error."},
        footer = {"", "Examples:",
                "  edgefn send --data-dir D --device sensor-1 '{\"temperature\": 99}'",
                "  edgefn send --device pump-01 --property frameType=telemetry @reading.json",
                "  tail -f readings.jsonl | edgefn send --device sensor-1 -"})
final class SendCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--gateway", paramLabel = "URL",
            description = "The host's management API, e.g. http://localhost:8443, instead of finding it through --data-dir.")
    String gateway;

    @Option(names = "--token", paramLabel = "T",
            description = "The host's bearer token (its data directory's management.token); with --gateway.")
    String token;

    @Option(names = "--device", paramLabel = "ID", required = true,
            description = "The device the messages are from: their connectionDeviceId.")
    String device;

    @Option(names = "--property", paramLabel = "KEY=VALUE",
            description = "An application property of every message; may be repeated.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Parameters(paramLabel = "BODY",
            description = "The message's body: text, @FILE for a file's bytes, or - for one message per line of standard "
                    + "input (blank lines skipped).")
    String body;

    @Override
    public Integer call() throws Exception {
        byte[] single = body.equals("-") ? null : bodyBytes(); // a usage error before looking for the host
        Target target = target();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            if (body.equals("-")) {
                boolean allTaken = true;
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                int lineNumber = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lineNumber++;
                    if (!line.isBlank()) {
                        allTaken &= send(client, target, line.getBytes(StandardCharsets.UTF_8), "line " + lineNumber + ": ");
                    }
                }
                return allTaken ? 0 : 1;
            }
            return send(client, target, single, "") ? 0 : 1;
        }
    }

    /** Where to send, and with which token: from {@code --gateway}/{@code --token}, or the data directory. */
    private Target target() throws IOException {
        if (gateway != null || token != null) {
            if (dataDir.dataDir != null) {
                throw new ParameterException(spec.commandLine(), "give either --data-dir or --gateway with --token, not both");
            }
            if (gateway == null || token == null) {
                throw new ParameterException(spec.commandLine(), gateway == null
                        ? "--token goes with --gateway URL (with --data-dir, the token is read from the directory)"
                        : "--gateway needs --token T: the host's token, in its data directory's management.token");
            }
            URI uri;
            try {
                uri = URI.create(gateway.endsWith("/") ? gateway.substring(0, gateway.length() - 1) : gateway);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--gateway '" + gateway + "' is not a URL: " + e.getMessage());
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ParameterException(spec.commandLine(), "--gateway must be an http:// or https:// URL with a host, "
                        + "like http://localhost:8443, was '" + gateway + "'");
            }
            return new Target(URI.create(uri + "/messages"), token.trim(), gateway);
        }
        HostDataDir dir = HostDataDir.find(dataDir.resolve());
        if (!dir.hostRunning()) {
            throw new IllegalArgumentException("no edgefn host is running on " + dir.describe()
                    + "; start one with 'edgefn run --data-dir " + dir.root() + " …', or name the right directory with --data-dir");
        }
        Path portFile = dir.host().resolve(DataDirectory.HTTP_PORT_FILE);
        Path tokenFile = dir.host().resolve(DataDirectory.MANAGEMENT_TOKEN_FILE);
        if (!Files.exists(portFile)) {
            throw new IllegalArgumentException("the host running on " + dir.describe()
                    + " serves no management API (it was started with --http-port -1)");
        }
        String hostToken;
        try {
            hostToken = Files.readString(tokenFile, StandardCharsets.ISO_8859_1).trim();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the host running on " + dir.describe() + " has no " + tokenFile
                    + "; it is older than edgefn send, restart it");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read " + tokenFile + ": only the user the host runs as may send to it");
        }
        int port = Integer.parseInt(Files.readString(portFile).trim());
        return new Target(URI.create("http://127.0.0.1:" + port + "/messages"), hostToken, "the host on " + dir.describe());
    }

    private byte[] bodyBytes() throws IOException {
        if (body.startsWith("@")) {
            Path file = Path.of(body.substring(1));
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), "BODY " + body + ": no file " + file.toAbsolutePath());
            }
            return Files.readAllBytes(file);
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends one message; prints its id and "taken", or (on standard error) why not; returns whether it was taken. */
    private boolean send(HttpClient client, Target target, byte[] bytes, String prefix) {
        ObjectNode request = JSON.createObjectNode().put("deviceId", device);
        if (!properties.isEmpty()) {
            ObjectNode props = request.putObject("properties");
            properties.forEach(props::put);
        }
        String text = utf8(bytes);
        if (text == null) {
            request.put("bodyBase64", Base64.getEncoder().encodeToString(bytes));
        } else {
            request.put("body", text);
            if (isJson(text)) {
                request.put("contentType", "application/json").put("contentEncoding", "utf-8");
            }
        }
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(target.uri()).timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + target.token())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            return failed(prefix + "cannot reach " + target.name() + " at " + target.uri() + ": the connection was refused");
        } catch (HttpTimeoutException e) {
            return failed(prefix + target.name() + " did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return failed(prefix + "cannot reach " + target.name() + " at " + target.uri() + ": "
                    + (e.getMessage() == null ? "the connection failed" : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(prefix + "interrupted");
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() == 202 || response.statusCode() == 200) {
            System.out.println(answer.path("messageId").asText("?") + " taken");
            return true;
        }
        String why = answer.path("error").asText(response.body().trim());
        return failed(prefix + switch (response.statusCode()) {
            case 401 -> "the token was refused by " + target.name() + ": " + why;
            case 421 -> target.name() + " answers only for localhost on its own port: " + why;
            default -> "not taken (HTTP " + response.statusCode() + "): " + why;
        });
    }

    private static boolean failed(String why) {
        System.err.println("edgefn send: " + why);
        return false;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    /** {@code bytes} as text when they are valid UTF-8, else null. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isJson(String text) {
        if (text.isBlank()) {
            return false;
        }
        try {
            JSON.readTree(text);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** Where messages go: the endpoint, the token, and how to name the host in messages. */
    private record Target(URI uri, String token, String name) {
    }
}
