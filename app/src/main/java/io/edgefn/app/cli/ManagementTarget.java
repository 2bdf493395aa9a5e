package io.edgefn.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.runtime.DataDirectory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import io.edgefn.hub.identity.GatewayCertificates;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options that name a running host's management API — {@code --data-dir DIR} (its
 * {@code http.port}, {@code http.scheme} and {@code management.token}, and for https the gateway's
 * CA in {@code identity/certs/ca.pem}) or {@code --gateway URL --token T [--ca PEM]} (https trusting
 * the CA in {@code PEM}, or the system's trust store without it) — and calls to it with the bearer
 * token. A picocli mixin of {@code deploy}, {@code rollback}, {@code deployments} and {@code send}.
 * Used by one command's thread.
 */
final class ManagementTarget {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--gateway", paramLabel = "URL",
            description = "The host's management API, e.g. https://gateway.local:8443, instead of finding it through --data-dir.")
    String gateway;

    @Option(names = "--token", paramLabel = "T",
            description = "The host's bearer token (its data directory's management.token); with --gateway.")
    String token;

    @Option(names = "--ca", paramLabel = "PEM",
            description = "The CA certificate(s) to trust for an https --gateway: the gateway's CA, which 'edgefn certs export' "
                    + "prints on it. Without it, the system's trust store.")
    Path ca;

    /** An answer: its status and its body as JSON (an empty object when it was not JSON). */
    record Answer(int status, JsonNode body, String text) {
    }

    /** A host that did not answer, with the reason in words. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    /**
     * The API's base URI, the token, and how to name the host.
     *
     * @param tls the TLS context trusting the host's CA, or {@code null} for the system's trust store
     * @param trustHint which CA is trusted, for the error when the host's certificate is not
     */
    record Resolved(URI base, String token, String name, SSLContext tls, String trustHint) {
        /** Without TLS settings of its own. */
        Resolved(URI base, String token, String name) {
            this(base, token, name, null, "the system's trust store");
        }
    }

    /** Where the API is and which token it takes. */
    Resolved resolve(CommandSpec spec) throws IOException {
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
                        + "like https://gateway.local:8443, was '" + gateway + "'");
            }
            if (ca != null) {
                return new Resolved(uri, token.trim(), gateway, trusting(ca), "the CA in " + ca + " (--ca)");
            }
            return new Resolved(uri, token.trim(), gateway, null, "the system's trust store; give the gateway's CA with "
                    + "--ca PEM ('edgefn certs export' on the gateway prints it)");
        }
        if (ca != null) {
            throw new ParameterException(spec.commandLine(), "--ca goes with --gateway https://…; with --data-dir the "
                    + "gateway's CA is read from the directory");
        }
        HostDataDir dir = HostDataDir.find(dataDir.resolve());
        if (!dir.hostRunning()) {
            throw new IllegalArgumentException("no edgefn host is running on " + dir.describe()
                    + "; start one with 'edgefn run --data-dir " + dir.root() + " …', or name the right directory with --data-dir");
        }
        return fromDataDir(dir);
    }

    /**
     * The management API of the host running on {@code dir}: its port and scheme, its token, and
     * for https a TLS context trusting the gateway's CA in the directory.
     *
     * @throws IllegalArgumentException when the host serves no API, or a file cannot be read
     */
    static Resolved fromDataDir(HostDataDir dir) throws IOException {
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
            throw new IllegalArgumentException("the host running on " + dir.describe() + " has no " + tokenFile);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read " + tokenFile + ": only the user the host runs as may manage it");
        }
        int port = Integer.parseInt(Files.readString(portFile).trim());
        Path schemeFile = dir.host().resolve(DataDirectory.HTTP_SCHEME_FILE);
        String scheme = Files.exists(schemeFile) ? Files.readString(schemeFile).trim() : "http";
        String name = "the host on " + dir.describe();
        if (!scheme.equals("https")) {
            return new Resolved(URI.create("http://127.0.0.1:" + port), hostToken, name);
        }
        Path caFile = dir.host().resolve("identity").resolve(GatewayCertificates.DIRECTORY).resolve("ca.pem");
        if (!Files.exists(caFile)) {
            throw new IllegalArgumentException("the host on " + dir.describe() + " serves https but " + caFile
                    + " (its CA) is missing");
        }
        return new Resolved(URI.create("https://127.0.0.1:" + port), hostToken, name, trusting(caFile),
                "the gateway's CA in " + caFile);
    }

    /**
     * A TLS context trusting the certificates in the PEM file {@code pem} and nothing else.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no certificate
     */
    static SSLContext trusting(Path pem) {
        try (java.io.InputStream in = Files.newInputStream(pem)) {
            var certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(pem + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (var certificate : certificates) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no CA file " + pem.toAbsolutePath());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the CA certificate(s) in " + pem + ": " + e.getMessage(), e);
        }
    }

    /** An HTTP client for {@code target}: trusting its CA when it has one of its own. */
    static HttpClient client(Resolved target) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (target.tls() != null) {
            builder.sslContext(target.tls());
        }
        return builder.build();
    }

    /** Why {@code uri} could not be reached through {@code e}, in words: a TLS failure names the CA to use. */
    static String unreachable(Resolved target, URI uri, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException tls) {
                boolean untrusted = tls.getMessage() != null && tls.getMessage().contains("PKIX");
                return "cannot reach " + target.name() + " at " + uri + ": the TLS handshake failed ("
                        + (untrusted ? "its certificate was not issued by a CA trusted here" : tls.getMessage())
                        + "); the trusted CA is " + target.trustHint();
            }
        }
        String why = e.getMessage() == null ? "the connection failed" : e.getMessage();
        if ("http".equals(uri.getScheme())) {
            why += " (if it serves https, as 'edgefn run' does, use an https:// URL)";
        }
        return "cannot reach " + target.name() + " at " + uri + ": " + why;
    }

    /**
     * Calls {@code method path} (path with its query) with {@code body} (null: none), waiting up to
     * {@code timeout} for the answer.
     */
    static Answer call(Resolved target, String method, String path, byte[] body, Duration timeout) throws Unreachable {
        URI uri = URI.create(target.base() + path);
        try (HttpClient client = client(target)) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Authorization", "Bearer " + target.token())
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = JSON.readTree(response.body());
            } catch (IOException e) {
                json = null;
            }
            return new Answer(response.statusCode(), json == null ? JSON.createObjectNode() : json, response.body().trim());
        } catch (ConnectException e) {
            throw new Unreachable("cannot reach " + target.name() + " at " + uri + ": the connection was refused");
        } catch (HttpTimeoutException e) {
            throw new Unreachable(target.name() + " did not answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new Unreachable(unreachable(target, uri, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }

    /** Why a call was not answered as asked, in words: the API's {@code error}, or its status. */
    static String refusal(Resolved target, Answer answer) {
        String why = answer.body().path("error").asText(answer.text());
        return switch (answer.status()) {
            case 401 -> "the token was refused by " + target.name() + ": " + why;
            case 404 -> target.name() + " does not take deployments (it is older than edgefn deploy): " + why;
            case 421 -> target.name() + " answers only for localhost on its own port: " + why;
            default -> "HTTP " + answer.status() + ": " + why;
        };
    }

    /**
     * Prints a deployment outcome ({@code {"version", "state", "reasons", "applyMillis", "gateMillis"}})
     * for {@code verb} and returns the exit status: 0 when applied, 1 otherwise.
     */
    static int printOutcome(String verb, Resolved target, Answer answer) {
        JsonNode o = answer.body();
        String state = o.path("state").asText("");
        if (state.isEmpty()) {
            System.err.println("edgefn " + verb + ": " + refusal(target, answer));
            return 1;
        }
        String version = o.path("version").isTextual() ? "deployment " + o.path("version").asText() : "the deployment";
        if (state.equals("APPLIED")) {
            System.out.printf("%s applied on %s in %d ms; it passed its health gate (%d ms)%n", version, target.name(),
                    o.path("applyMillis").asLong(), o.path("gateMillis").asLong());
            return 0;
        }
        System.err.printf("edgefn %s: %s was %s by %s:%n", verb, version,
                state.equals("ROLLED_BACK") ? "rolled back" : state.toLowerCase(java.util.Locale.ROOT), target.name());
        o.path("reasons").forEach(r -> System.err.println("  - " + r.asText()));
        return 1;
    }
}
