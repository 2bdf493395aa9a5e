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
                "Finds the host through --data-dir (its http.port and management.token files, and the gateway's CA). "
                + "--gateway https://HOST:PORT --token T [--ca PEM] reach one elsewhere, if its owner opened the API with "
                + "'edgefn run --http-bind' (docs/management-api.md).",
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
    ManagementTarget management;

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
        try (HttpClient client = ManagementTarget.client(target.api())) {
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

    /** Where to send, and with which token: from {@code --gateway}/{@code --token}/{@code --ca}, or the data directory. */
    private Target target() throws IOException {
        ManagementTarget.Resolved api = management.resolve(spec);
        return new Target(URI.create(api.base() + "/messages"), api.token(), api.name(), api);
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
            return failed(prefix + ManagementTarget.unreachable(target.api(), target.uri(), e));
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
    private record Target(URI uri, String token, String name, ManagementTarget.Resolved api) {
    }
}
