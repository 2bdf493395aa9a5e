package io.edgefn.runtime.internal;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The live dashboard on the management API's port: a page ({@code GET /dashboard}, its
 * {@code app.js} and {@code app.css} from this jar's {@code edgefn/dashboard/}, nothing from the
 * network), fed by server-sent events ({@code GET /dashboard/events}: the {@code /status} JSON
 * once a second).
 *
 * <p><b>Logging in.</b> A browser cannot send the bearer token, and a token in a URL ends up in
 * histories and logs; so {@code edgefn dashboard}, which can read the token, asks
 * {@code POST /dashboard/login-codes} (bearer token) for a code that works once, within
 * {@link #CODE_LIFETIME}, and prints {@code /dashboard/login?code=…}. Visiting it trades the code
 * for a session cookie ({@value #COOKIE}: random, {@code HttpOnly}, {@code SameSite=Strict},
 * {@code Path=/dashboard}, {@code Secure} over TLS) that the host holds in memory for
 * {@link #SESSION_LIFETIME}; a used or expired code gets a 401 page. The page and its events take
 * that cookie only; the rest of the API is untouched by it.
 *
 * <p>Confined to the management API's event loop, like {@link ConnectionGuard}: every method is
 * called there, and the maps are not shared. An event stream holds its connection for as long as
 * the page is open, which {@link ConnectionGuard} cannot evict, so at most {@link #MAX_STREAMS}
 * are open at once: a new one closes the oldest.
 */
final class Dashboard {

    /** The session cookie's name. */
    static final String COOKIE = "edgefn_dashboard";
    /** How long a login code may wait to be used. */
    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
    /** How long a session lasts after its login. */
    static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    /** Event streams open at once. */
    static final int MAX_STREAMS = 4;
    /** Login codes outstanding at once; more forget the oldest. */
    static final int MAX_CODES = 16;
    /** Sessions at once; more forget the oldest. */
    static final int MAX_SESSIONS = 32;
    /** How often an event stream sends a snapshot. */
    static final long EVENT_PERIOD_MILLIS = 1_000;

    private static final Map<String, String> ASSETS = Map.of(
            "/dashboard/app.js", "text/javascript; charset=utf-8",
            "/dashboard/app.css", "text/css; charset=utf-8");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Vertx vertx;
    private final BearerToken token;
    private final InstantSource clock;
    private final Random random;
    private final Supplier<String> status;
    private final boolean secure;
    /** Outstanding login codes and when each expires, oldest first. */
    private final Map<String, Instant> codes = new java.util.LinkedHashMap<>();
    /** Sessions and when each expires, oldest first. */
    private final Map<String, Instant> sessions = new java.util.LinkedHashMap<>();
    private final Deque<HttpServerResponse> streams = new ArrayDeque<>();
    private final Map<String, byte[]> assets = new HashMap<>();

    /**
     * A dashboard.
     *
     * @param token the management token {@code POST /dashboard/login-codes} takes
     * @param clock when codes and sessions expire
     * @param random where codes and session ids come from (a {@link SecureRandom} in a host)
     * @param status the {@code /status} JSON, called on the event loop
     * @param secure whether the API is served over TLS (the cookie is then {@code Secure})
     */
    Dashboard(Vertx vertx, String token, InstantSource clock, Random random, Supplier<String> status, boolean secure) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.token = new BearerToken(token);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.status = Objects.requireNonNull(status, "status");
        this.secure = secure;
    }

    /** Whether {@code path} is the dashboard's. */
    static boolean answers(String path) {
        return path.equals("/dashboard") || path.startsWith("/dashboard/");
    }

    /** The one method each of the dashboard's paths answers, or null for a path it does not have. */
    static HttpMethod methodOf(String path) {
        return switch (path) {
            case "/dashboard", "/dashboard/login", "/dashboard/events", "/dashboard/app.js", "/dashboard/app.css" -> HttpMethod.GET;
            case "/dashboard/login-codes" -> HttpMethod.POST;
            default -> null;
        };
    }

    /** Answers {@code request}, whose path {@link #answers} and whose method is its path's. */
    void handle(HttpServerRequest request) {
        String path = request.path();
        HttpServerResponse response = request.response();
        response.putHeader("cache-control", "no-store").putHeader("x-content-type-options", "nosniff")
                .putHeader("referrer-policy", "no-referrer");
        switch (path) {
            case "/dashboard/login-codes" -> newCode(request);
            case "/dashboard/login" -> login(request);
            case "/dashboard/app.js", "/dashboard/app.css" -> asset(request, path);
            case "/dashboard" -> {
                if (loggedIn(request)) {
                    asset(request, "/dashboard/index.html");
                } else {
                    page(response, 401, "Not logged in", "This dashboard needs a login link. On the gateway, run "
                            + "<code>edgefn dashboard</code> (with the host's <code>--data-dir</code>) and open the link it prints;"
                            + " each link works once, within " + CODE_LIFETIME.toSeconds() + " seconds.");
                }
            }
            case "/dashboard/events" -> {
                if (loggedIn(request)) {
                    stream(request);
                } else {
                    response.setStatusCode(401).putHeader("content-type", "application/json")
                            .end("{\"error\":\"GET /dashboard/events needs the dashboard's session cookie: open the link "
                                    + "'edgefn dashboard' prints\"}");
                }
            }
            default -> response.setStatusCode(404).putHeader("content-type", "text/plain; charset=utf-8")
                    .end("unknown dashboard path " + io.edgefn.api.LogText.escape(path)
                            + "; the dashboard is GET /dashboard, after the login link 'edgefn dashboard' prints\n");
        }
    }

    /** {@code POST /dashboard/login-codes}: a code for a holder of the token. */
    private void newCode(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (!token.admits(authorization)) {
            request.response().setStatusCode(401).putHeader("www-authenticate", BearerToken.challenge(authorization))
                    .putHeader("content-type", "application/json")
                    .end("{\"error\":\"POST /dashboard/login-codes needs 'Authorization: Bearer <token>' with the token in "
                            + "the data directory's management.token\"}");
            return;
        }
        Instant now = clock.instant();
        forgetExpired(codes, now);
        trim(codes, MAX_CODES - 1);
        String code = randomId();
        Instant expires = now.plus(CODE_LIFETIME);
        codes.put(code, expires);
        request.response().setStatusCode(201).putHeader("content-type", "application/json")
                .end("{\"code\":\"" + code + "\",\"path\":\"/dashboard/login?code=" + code + "\",\"expiresAt\":\""
                        + expires + "\",\"expiresInSeconds\":" + CODE_LIFETIME.toSeconds() + "}");
    }

    /** {@code GET /dashboard/login?code=…}: the code, once and in time, for a session cookie. */
    private void login(HttpServerRequest request) {
        String code = request.getParam("code");
        Instant now = clock.instant();
        Instant expires = code == null ? null : codes.remove(code);
        if (expires == null || !now.isBefore(expires)) {
            page(request.response(), 401, "Login link refused", code == null
                    ? "This login link has no <code>code</code>. Run <code>edgefn dashboard</code> on the gateway for a new link."
                    : "This login link was already used or has expired (each works once, within "
                    + CODE_LIFETIME.toSeconds() + " seconds). Run <code>edgefn dashboard</code> on the gateway for a new one.");
            return;
        }
        forgetExpired(sessions, now);
        trim(sessions, MAX_SESSIONS - 1);
        String session = randomId();
        sessions.put(session, now.plus(SESSION_LIFETIME));
        request.response().setStatusCode(303).putHeader("location", "/dashboard")
                .putHeader("set-cookie", COOKIE + "=" + session + "; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age="
                        + SESSION_LIFETIME.toSeconds() + (secure ? "; Secure" : ""))
                .end();
    }

    /** Whether {@code request} carries the cookie of a live session. */
    private boolean loggedIn(HttpServerRequest request) {
        String id = sessionOf(request.getHeader("Cookie"));
        if (id == null) {
            return false;
        }
        Instant expires = sessions.get(id);
        if (expires == null) {
            return false;
        }
        if (!clock.instant().isBefore(expires)) {
            sessions.remove(id);
            return false;
        }
        return true;
    }

    /** The session id in a {@code Cookie} header, or null. */
    static String sessionOf(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        for (String part : cookieHeader.split(";")) {
            String c = part.trim();
            if (c.startsWith(COOKIE + "=")) {
                return c.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }

    /** {@code GET /dashboard/events}: the status now and then once a second, until the page or its session goes. */
    private void stream(HttpServerRequest request) {
        String session = sessionOf(request.getHeader("Cookie"));
        HttpServerResponse response = request.response();
        response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("x-accel-buffering", "no");
        while (streams.size() >= MAX_STREAMS) {
            HttpServerResponse oldest = streams.pollFirst();
            oldest.end(); // its page reconnects, closing another one's: the newest pages win
        }
        streams.addLast(response);
        send(response);
        long timer = vertx.setPeriodic(EVENT_PERIOD_MILLIS, id -> {
            Instant expires = sessions.get(session);
            if (expires == null || !clock.instant().isBefore(expires)) {
                vertx.cancelTimer(id);
                streams.remove(response);
                response.end("event: expired\ndata: {}\n\n");
                return;
            }
            send(response);
        });
        Runnable gone = () -> {
            vertx.cancelTimer(timer);
            streams.remove(response);
        };
        response.closeHandler(v -> gone.run());
        response.endHandler(v -> gone.run());
    }

    private void send(HttpServerResponse response) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.writeQueueFull()) {
            return; // a slow page skips a snapshot rather than the host queueing them
        }
        response.write("data: " + status.get() + "\n\n");
    }

    private void asset(HttpServerRequest request, String path) {
        String name = path.substring("/dashboard/".length());
        byte[] body = assets.computeIfAbsent(name, Dashboard::load);
        if (body == null) {
            request.response().setStatusCode(500).end("this edgefn was built without its dashboard's " + name + "\n");
            return;
        }
        String type = ASSETS.getOrDefault(path, "text/html; charset=utf-8");
        request.response().putHeader("content-type", type).putHeader("content-security-policy", CSP)
                .end(io.vertx.core.buffer.Buffer.buffer(body));
    }

    private static byte[] load(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream("/edgefn/dashboard/" + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** A small HTML page (the 401s), styled by the dashboard's own CSS. */
    private static void page(HttpServerResponse response, int status, String title, String html) {
        response.setStatusCode(status).putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("content-security-policy", CSP)
                .end("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>edgefn: " + title
                        + "</title><link rel=\"stylesheet\" href=\"/dashboard/app.css\"></head><body><main class=\"notice\">"
                        + "<h1 id=\"notice\">" + title + "</h1><p>" + html + "</p></main></body></html>");
    }

    private String randomId() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void forgetExpired(Map<String, Instant> expiring, Instant now) {
        expiring.values().removeIf(expires -> !now.isBefore(expires));
    }

    private static void trim(Map<String, Instant> oldestFirst, int keep) {
        Iterator<String> oldest = oldestFirst.keySet().iterator();
        while (oldestFirst.size() > keep && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}
