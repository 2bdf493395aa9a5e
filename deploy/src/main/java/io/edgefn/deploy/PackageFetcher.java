package io.edgefn.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Fetches a deployment's {@code url} packages over HTTP(S) into a {@link PackageStore}, verified
 * against the {@code sha256} every {@code url} package declares. A package the store already holds
 * intact is not fetched at all, so a gateway that has it deploys offline.
 *
 * <p>Limits (see {@link Options#defaults()}): a connection within 10 s; the response to begin, and
 * each later part of the body to arrive, within 30 s of the one before (a slow but steady download
 * of a large jar is not cut off); at most {@link FunctionPackage#MAX_JAR_BYTES} (a larger
 * {@code Content-Length} is refused before the body is read); at most 5 redirects, never from
 * {@code https} to {@code http}. HTTPS servers are trusted when the system's trust store, or the
 * package's {@code ca} (a PEM file or PEM text with one or more certificates), vouches for them,
 * host names checked as usual. Only status 200 is a package. Every error names the package, the
 * URL and the reason.
 *
 * <p>Stateless apart from its options, and thread-safe: each fetch runs on the calling thread with
 * an HTTP client of its own, closed when it ends.
 */
public final class PackageFetcher {

    /** How PEM text begins: a {@code ca} that starts so is the certificates themselves, not a file. */
    public static final String PEM_BEGIN = "-----BEGIN";

    /** The largest {@code ca} PEM file read, in bytes (1 MiB). */
    private static final int MAX_CA_BYTES = 1 << 20;

    /**
     * A fetcher's limits.
     *
     * @param connectTimeout the longest wait for a connection
     * @param timeout        the longest wait for the response to begin, and then for each part of its body
     * @param maxBytes       the largest package, in bytes
     * @param maxRedirects   the most redirects followed
     */
    public record Options(Duration connectTimeout, Duration timeout, long maxBytes, int maxRedirects) {

        /** Checks every limit at once. */
        public Options {
            StringBuilder bad = new StringBuilder();
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                bad.append(" connectTimeout must be positive, not ").append(connectTimeout).append(';');
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                bad.append(" timeout must be positive, not ").append(timeout).append(';');
            }
            if (maxBytes < 1 || maxBytes > FunctionPackage.MAX_JAR_BYTES) {
                bad.append(" maxBytes must be 1 to ").append(FunctionPackage.MAX_JAR_BYTES).append(", not ")
                        .append(maxBytes).append(';');
            }
            if (maxRedirects < 0) {
                bad.append(" maxRedirects must be 0 or more, not ").append(maxRedirects).append(';');
            }
            if (!bad.isEmpty()) {
                throw new IllegalArgumentException("package fetcher options:" + bad.substring(0, bad.length() - 1));
            }
        }

        /** 10 s to connect, 30 s for the response and between parts of the body, 256 MiB, 5 redirects. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(30), FunctionPackage.MAX_JAR_BYTES, 5);
        }
    }

    private final Options options;

    private PackageFetcher(Options options) {
        this.options = options;
    }

    /** A fetcher with {@code options}. */
    public static PackageFetcher create(Options options) {
        return new PackageFetcher(Objects.requireNonNull(options, "options"));
    }

    /**
     * Makes sure {@code store} holds the jar of the {@code url} package {@code ref}: returns at once
     * when it holds an intact copy with the declared hash, else fetches it, checks its hash and
     * stores it.
     *
     * @param baseDirectory where a {@code ca} file name is resolved (the deployment's directory)
     * @return the path of the jar in the store
     * @throws PackageException naming the package, the URL and why it could not be fetched: the
     *                          server's status, a timeout, the size, a hash mismatch, TLS or the
     *                          network
     * @throws IllegalArgumentException when {@code ref} is not a {@code url} package with a hash
     */
    public Path fetch(PackageRef ref, Path baseDirectory, PackageStore store) {
        if (ref.url() == null || ref.sha256() == null) {
            throw new IllegalArgumentException("package '" + ref.name() + "' is not a url package with a sha256");
        }
        if (store.contains(ref.sha256())) {
            return store.path(ref.sha256());
        }
        String what = "cannot fetch package " + ref.name() + " from " + shown(URI.create(ref.url()));
        SSLContext tls = tls(ref, baseDirectory, what);
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(tls)
                .build();
        try {
            download(client, URI.create(ref.url()), ref.sha256(), store, what);
            return store.path(ref.sha256());
        } catch (IllegalArgumentException e) {
            // HttpRequest refuses what it cannot send (e.g. a URL with user information).
            throw new PackageException(what + ": " + e.getMessage(), e);
        } finally {
            client.shutdownNow();
        }
    }

    private void download(HttpClient client, URI start, String sha256, PackageStore store, String what) {
        URI uri = start;
        for (int redirects = 0; ; redirects++) {
            String at = redirects == 0 ? "" : " (redirected to " + shown(uri) + ")";
            HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(options.timeout())
                    .header("Accept", "application/java-archive, application/octet-stream, */*").build();
            Body body = new Body();
            CompletableFuture<HttpResponse<Body>> sent = client.sendAsync(request, info -> body);
            HttpResponse<Body> response;
            try {
                // The request's own timeout covers the wait for the headers; this one is a backstop.
                response = sent.get(options.connectTimeout().plus(options.timeout()).toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                sent.cancel(true);
                throw new PackageException(what + at + ": no response within " + seconds(options.timeout()), e);
            } catch (ExecutionException e) {
                throw new PackageException(what + at + ": " + networkReason(e.getCause()), e.getCause());
            } catch (InterruptedException e) {
                sent.cancel(true);
                Thread.currentThread().interrupt();
                throw new PackageException(what + at + ": interrupted", e);
            }
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                body.cancel();
                String location = response.headers().firstValue("Location").orElse(null);
                if (location == null) {
                    throw new PackageException(what + at + ": the server answered " + status + " (a redirect) without a Location");
                }
                if (redirects == options.maxRedirects()) {
                    throw new PackageException(what + at + ": more than " + options.maxRedirects() + " redirects");
                }
                URI next;
                try {
                    next = uri.resolve(location);
                } catch (IllegalArgumentException e) {
                    throw new PackageException(what + at + ": the server redirected to '" + Printable.of(location)
                            + "', which is not a URL", e);
                }
                if ("https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                    throw new PackageException(what + at + ": the server redirected to " + shown(next)
                            + ", which leaves HTTPS; that redirect is not followed");
                }
                if (!"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                    throw new PackageException(what + at + ": the server redirected to " + shown(next)
                            + ", which is not an http or https URL");
                }
                uri = next;
                continue;
            }
            if (status != 200) {
                body.cancel();
                throw new PackageException(what + at + ": the server answered " + status + " " + reason(status));
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > options.maxBytes()) {
                body.cancel();
                throw new PackageException(what + at + ": it is " + declared + " bytes (Content-Length), more than the"
                        + " package limit of " + InputFiles.limit(options.maxBytes()));
            }
            receive(body, sha256, store, what + at);
            return;
        }
    }

    /** Writes the body into the store, checking its size as it comes and its hash at the end. */
    private void receive(Body body, String sha256, PackageStore store, String what) {
        PackageStore.Incoming incoming = store.incoming();
        try {
            long size = 0;
            while (true) {
                Object item = body.next(options.timeout());
                if (item == null) {
                    throw new PackageException(what + ": no data for " + seconds(options.timeout()) + " after "
                            + size + " bytes");
                }
                if (item == Body.END) {
                    break;
                }
                if (item instanceof Throwable failure) {
                    throw new PackageException(what + ": " + networkReason(failure) + " after " + size + " bytes", failure);
                }
                @SuppressWarnings("unchecked")
                List<ByteBuffer> buffers = (List<ByteBuffer>) item;
                for (ByteBuffer buffer : buffers) {
                    size += buffer.remaining();
                    if (size > options.maxBytes()) {
                        throw new PackageException(what + ": it is larger than the package limit of "
                                + InputFiles.limit(options.maxBytes()));
                    }
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    incoming.output().write(bytes);
                }
                body.more();
            }
            incoming.commit(sha256, what + ": what the server sent is not the package the deployment names");
        } catch (IOException e) {
            throw new PackageException(what + ": cannot write it to the package store " + store.directory() + ": "
                    + InputFiles.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PackageException(what + ": interrupted", e);
        } finally {
            body.cancel();
            incoming.discard();
        }
    }

    /** The system's trust store, plus the package's {@code ca} when it has one. */
    private static SSLContext tls(PackageRef ref, Path baseDirectory, String what) {
        try {
            if (ref.ca() == null) {
                return SSLContext.getDefault();
            }
            byte[] pem;
            String source;
            if (ref.ca().startsWith(PEM_BEGIN)) {
                pem = ref.ca().getBytes(StandardCharsets.US_ASCII);
                source = "its 'ca' PEM text";
            } else {
                Path file = baseDirectory == null ? Path.of(ref.ca()) : baseDirectory.resolve(ref.ca());
                source = "its 'ca' file " + Printable.of(ref.ca());
                try {
                    pem = InputFiles.read(file, MAX_CA_BYTES);
                } catch (IOException e) {
                    throw new PackageException(what + ": cannot read " + source + ": " + InputFiles.describe(e), e);
                }
            }
            Collection<? extends Certificate> cas;
            try {
                cas = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            } catch (GeneralSecurityException e) {
                throw new PackageException(what + ": " + source + " is not PEM certificates: " + e.getMessage(), e);
            }
            if (cas.isEmpty()) {
                throw new PackageException(what + ": " + source + " holds no certificate");
            }
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            int n = 0;
            for (var manager : system.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate c : x509.getAcceptedIssuers()) {
                        anchors.setCertificateEntry("system-" + n++, c);
                    }
                }
            }
            for (Certificate c : cas) {
                anchors.setCertificateEntry("ca-" + n++, c);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new PackageException(what + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** {@code uri} for messages: without user information (a password never reaches a log). */
    private static String shown(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return Printable.of(uri.toString());
        }
        return Printable.of(uri.getScheme() + "://…@" + uri.getRawAuthority().substring(uri.getRawAuthority().indexOf('@') + 1)
                + (uri.getRawPath() == null ? "" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    private static String networkReason(Throwable failure) {
        return switch (failure) {
            case HttpConnectTimeoutException t -> "no connection within the connect timeout";
            case HttpTimeoutException t -> "no response within the timeout";
            case ConnectException c -> "cannot connect" + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
            case SSLHandshakeException s -> "TLS handshake failed: " + s.getMessage()
                    + " (is the server's certificate authority in the system trust store or the package's 'ca'?)";
            case IOException io -> (io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage());
            default -> failure.toString();
        };
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "(Bad Request)";
            case 401 -> "(Unauthorized)";
            case 403 -> "(Forbidden)";
            case 404 -> "(Not Found): there is no package at that URL";
            case 410 -> "(Gone)";
            case 429 -> "(Too Many Requests)";
            case 500 -> "(Internal Server Error)";
            case 502 -> "(Bad Gateway)";
            case 503 -> "(Service Unavailable)";
            case 504 -> "(Gateway Timeout)";
            default -> status >= 500 ? "(a server error)" : status >= 400 ? "(a client error)" : "(not a package)";
        };
    }

    /**
     * A response body handed over part by part to the thread that fetches: the HTTP client's
     * threads only queue what arrives, one part requested at a time, and the fetching thread
     * writes it and asks for the next.
     */
    private static final class Body implements HttpResponse.BodySubscriber<Body> {
        static final Object END = new Object();
        private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
        private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();

        @Override
        public CompletionStage<Body> getBody() {
            return CompletableFuture.completedStage(this);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.complete(s);
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
            items.add(throwable);
        }

        @Override
        public void onComplete() {
            items.add(END);
        }

        /** The next part, {@link #END}, a failure, or {@code null} when nothing came within {@code timeout}. */
        Object next(Duration timeout) throws InterruptedException {
            return items.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void more() {
            subscription.thenAccept(s -> s.request(1));
        }

        void cancel() {
            subscription.thenAccept(Flow.Subscription::cancel);
        }
    }
}
