package io.edgefn.runtime.internal;

import io.edgefn.deploy.FunctionPackage;
import io.edgefn.deploy.PackageException;
import io.edgefn.deploy.PackageStore;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The management API's package upload, so that {@code edgefn deploy --gateway …} can send a
 * gateway the jars it lacks before the deployment that names them: {@code GET /packages/{sha256}}
 * answers 200 when the gateway's content-addressed store holds an intact jar with that hash, else
 * 404; {@code PUT /packages/{sha256}} streams the body to a temporary file beside the store, then
 * stores it under its hash — refused (422) when the bytes have another hash, (413) beyond
 * {@link FunctionPackage#MAX_JAR_BYTES}. Both need the bearer token.
 *
 * <p>Runs on the API's event loop; hashing and storing run on a worker. Thread-safe: the store's
 * writes are atomic renames.
 */
final class PackagesEndpoint {

    /** The paths it answers: {@code /packages/} and a SHA-256 in lower-case hex. */
    static final String PREFIX = "/packages/";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Vertx vertx;
    private final BearerToken token;
    private final Path storeDirectory;

    PackagesEndpoint(Vertx vertx, String token, Path storeDirectory) {
        this.vertx = vertx;
        this.token = new BearerToken(token);
        this.storeDirectory = Objects.requireNonNull(storeDirectory, "storeDirectory");
    }

    /** Whether {@code path} is one of this endpoint's. */
    static boolean answers(String path) {
        return path.startsWith(PREFIX);
    }

    /** Answers {@code request} (Host already checked). */
    void handle(HttpServerRequest request) {
        String sha = request.path().substring(PREFIX.length());
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.PUT)) {
            end(request, 405, request.path() + " answers GET and PUT only, not " + method.name());
            return;
        }
        String authorization = request.getHeader("Authorization");
        if (!token.admits(authorization)) {
            request.response().putHeader("WWW-Authenticate", BearerToken.challenge(authorization));
            request.response().putHeader("connection", "close");
            end(request, 401, method.name() + " " + request.path() + " needs the bearer token in the data directory's"
                    + " management.token");
            return;
        }
        if (!SHA256.matcher(sha).matches()) {
            end(request, 400, "'" + io.edgefn.api.LogText.escape(sha) + "' is not a SHA-256: 64 lower-case hex digits");
            return;
        }
        if (method.equals(HttpMethod.GET)) {
            vertx.executeBlocking(() -> PackageStore.open(storeDirectory).contains(sha)).onComplete(r -> {
                if (r.failed()) {
                    end(request, 500, "cannot read the package store: " + r.cause().getMessage());
                } else {
                    end(request, r.result() ? 200 : 404, r.result() ? "stored" : "not stored");
                }
            });
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && parse(length) > FunctionPackage.MAX_JAR_BYTES) {
            request.response().putHeader("connection", "close");
            end(request, 413, "a package is at most " + FunctionPackage.MAX_JAR_BYTES + " bytes, not " + length);
            return;
        }
        request.pause();
        vertx.executeBlocking(() -> {
            Files.createDirectories(storeDirectory);
            return Files.createTempFile(storeDirectory, "upload-", ".tmp");
        }).onComplete(made -> {
            if (made.failed()) {
                request.resume();
                end(request, 500, "cannot make room for the upload: " + made.cause().getMessage());
                return;
            }
            Path temp = made.result();
            vertx.fileSystem().open(temp.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
                    .compose(file -> request.pipeTo(file))
                    .compose(v -> vertx.executeBlocking(() -> store(temp, sha)))
                    .onComplete(stored -> {
                        vertx.executeBlocking(() -> Files.deleteIfExists(temp));
                        if (stored.succeeded()) {
                            end(request, 201, "stored " + sha);
                        } else if (stored.cause() instanceof PackageException e) {
                            end(request, 422, e.getMessage());
                        } else {
                            end(request, 500, "the upload failed: " + stored.cause().getMessage());
                        }
                    });
        });
    }

    /** Stores the upload under its hash; {@link PackageStore#put} refuses another hash and more than the size limit. */
    private String store(Path temp, String sha) {
        return PackageStore.open(storeDirectory).put(temp, "the uploaded package " + sha, sha);
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void end(HttpServerRequest request, int status, String text) {
        if (!request.response().ended()) {
            request.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(text + "\n");
        }
    }
}
