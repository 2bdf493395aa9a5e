package io.edgefn.bindings.http;

import io.edgefn.api.HttpCall;
import io.edgefn.api.Settings;
import io.edgefn.bindings.BindingException;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.index.ParameterDescriptor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.WebClientInternal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The host's REST clients for {@code HttpCall} parameters: one Vert.x {@link WebClient} for the
 * JVM's trusted CAs and one per CA PEM file a function names, all on the host's shared Vert.x,
 * and the {@link HttpCall}s bound on them. The entry type of the binding.
 *
 * <p>Why an interceptor: the Web Client's own timeout is an idle timeout, so a server that dribbles
 * a body byte by byte would hold a call for ever. Each attempt has a deadline of its own instead;
 * when it passes, the attempt fails with a timeout and its request is reset, which closes the
 * connection — to reset it the binding needs the core request under the Web Client's, which only
 * an interceptor sees.
 *
 * <p>Thread-safe: {@link #endpoint} from any thread (binders call it on invocation threads);
 * {@link #close} once, when the host stops.
 */
public final class HttpCalls implements AutoCloseable {

    private final Vertx vertx;
    private final BodyCodec codec;
    /** The clients, by the CA PEM file they trust ({@code ""}: the JVM's CAs). */
    private final Map<String, WebClient> clients = new ConcurrentHashMap<>();
    /** The core request of each Web Client request being sent, for its deadline to reset. */
    private final Map<HttpRequest<?>, Consumer<HttpClientRequest>> sending = new ConcurrentHashMap<>();

    /** Clients on {@code vertx} (the host's, not closed here), writing and reading JSON with {@code codec}. */
    public HttpCalls(Vertx vertx, BodyCodec codec) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * The {@link HttpCall} {@code endpoint} declares, its base URL and CA read from
     * {@code settings} when it names settings.
     *
     * @throws BindingException naming the setting, when a named setting is missing or not a URL
     */
    public HttpCall endpoint(ParameterDescriptor.HttpCall endpoint, Settings settings) {
        String url = endpoint.url() != null ? endpoint.url() : setting(settings, endpoint.urlSetting(), "the base URL");
        URI base;
        try {
            base = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (URISyntaxException e) {
            throw new BindingException("the HTTP endpoint's base URL '" + url + "' is not a URL: " + e.getMessage());
        }
        if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
            throw new BindingException("the HTTP endpoint's base URL '" + url + "'"
                    + (endpoint.urlSetting() == null ? "" : " (setting '" + endpoint.urlSetting() + "')")
                    + " is not an http:// or https:// URL with a host");
        }
        String pem = endpoint.trustPemSetting() == null ? "" : setting(settings, endpoint.trustPemSetting(), "a CA PEM file");
        return new EndpointCall(vertx, client(pem), codec, base.toString(), endpoint, sending);
    }

    private static String setting(Settings settings, String key, String what) {
        Optional<String> value = settings.string(key);
        if (value.isEmpty() || value.get().isBlank()) {
            throw new BindingException("setting '" + key + "' (" + what + " of an HTTP endpoint) is missing or not a string");
        }
        return value.get();
    }

    private WebClient client(String pem) {
        return clients.computeIfAbsent(pem, p -> {
            WebClientOptions options = new WebClientOptions().setUserAgent("edgefn").setFollowRedirects(false);
            if (!p.isEmpty()) {
                options.setTrustOptions(new PemTrustOptions().addCertPath(p));
            }
            WebClientInternal client = (WebClientInternal) WebClient.create(vertx, options);
            client.addInterceptor(context -> {
                if (context.phase() == ClientPhase.SEND_REQUEST) {
                    Consumer<HttpClientRequest> onSend = sending.get(context.request());
                    if (onSend != null) {
                        onSend.accept(context.clientRequest());
                    }
                }
                context.next();
            });
            return client;
        });
    }

    /** Closes the clients (not the Vert.x); calls still running fail. */
    @Override
    public void close() {
        clients.values().forEach(WebClient::close);
        clients.clear();
    }
}
