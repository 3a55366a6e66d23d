package dev.baton.cli;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.core.SessionId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The browser part's demo application: a relying party of the gateway's OpenID Connect provider, served on
 * {@code http://127.0.0.1:PORT/} with the JDK's HTTP server.
 * <ul>
 *   <li>{@code GET /} shows "Signed in as ..." to a browser with the application's own session cookie; any other
 *       browser is sent to the provider's {@code /authorize}, with a flow cookie binding the request to it;</li>
 *   <li>{@code GET /callback} takes the code back (for a known state, from the browser that asked), has the
 *       {@link DemoRelyingParty} redeem and validate it, sets the session cookie and goes to {@code /};</li>
 *   <li>{@code POST /sign-out} ends the application's session and sends the browser to the provider's logout;
 *       {@code GET /signed-out} is where the provider sends it back.</li>
 * </ul>
 * Pending sign-ins and sessions are kept in memory in maps of at most {@value #MAX_ENTRIES} entries each (the
 * oldest goes first), so a flood of requests cannot grow them. Everything shown is HTML-escaped. Thread-safe.
 */
final class DemoApp implements AutoCloseable {
    /** The application's session cookie. */
    static final String SESSION_COOKIE = "baton-demo-app";
    static final String FLOW_COOKIE = "baton-demo-flow";
    static final int MAX_ENTRIES = 1_000;
    private static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private record Pending(CodeVerifier verifier, Nonce nonce, String browser, Instant started) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Pending> pending = bounded();
    private final Map<String, DemoRelyingParty.SignedIn> sessions = bounded();
    private volatile DemoRelyingParty party;

    /** Binds a loopback port now (so the provider can be configured with it); {@link #start} serves. */
    DemoApp() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /** Starts serving, as a relying party of {@code party}'s provider. */
    DemoApp start(DemoRelyingParty party) {
        this.party = party;
        server.start();
        return this;
    }

    /** {@code http://127.0.0.1:PORT/}. */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Sign-ins begun and not yet completed, and signed-in browsers: each at most {@value #MAX_ENTRIES}. */
    int[] held() {
        return new int[] {pending.size(), sessions.size()};
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            switch (path) {
                case "/" -> expect(x, "GET", method, () -> home(x));
                case "/callback" -> expect(x, "GET", method, () -> callback(x));
                case "/sign-out" -> expect(x, "POST", method, () -> signOut(x));
                case "/signed-out" -> expect(x, "GET", method, () -> page(x, 200, "Signed out",
                        "<p>You are signed out of the demo application and of Baton.</p>\n<p><a href=\"/\">Sign in again</a></p>"));
                default -> page(x, 404, "Not found", "<p>There is nothing at " + esc(path) + ".</p>");
            }
        } catch (RuntimeException e) {
            if (x.getResponseCode() == -1) {
                page(x, 500, "Error", "<p>" + esc(String.valueOf(e.getMessage())) + "</p>");
            }
        } finally {
            x.close();
        }
    }

    private interface Io {
        void run() throws IOException;
    }

    private static void expect(HttpExchange x, String allowed, String method, Io handler) throws IOException {
        if (!allowed.equals(method)) {
            x.getResponseHeaders().set("Allow", allowed);
            page(x, 405, "Method not allowed", "<p>Use " + allowed + ".</p>");
            return;
        }
        handler.run();
    }

    private void home(HttpExchange x) throws IOException {
        DemoRelyingParty.SignedIn user = cookie(x, SESSION_COOKIE).map(sessions::get).orElse(null);
        if (user != null) {
            page(x, 200, "Demo application", "<p id=\"user\">Signed in as " + esc(user.user()) + "</p>\n"
                    + "<p>Signed in at Baton at " + esc(TIME.format(user.authTime())) + " (the ID token's auth_time).</p>\n"
                    + "<form method=\"post\" action=\"/sign-out\"><button type=\"submit\">Sign out</button></form>");
            return;
        }
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        String browser = SessionId.generate().reveal();
        pending.put(state.getValue(), new Pending(verifier, nonce, browser, Instant.now()));
        x.getResponseHeaders().add("Set-Cookie", FLOW_COOKIE + "=" + browser + "; Path=/; HttpOnly; SameSite=Lax; Max-Age="
                + FLOW_LIFETIME.toSeconds());
        redirect(x, 302, party.authorize(state, nonce, verifier));
    }

    private void callback(HttpExchange x) throws IOException {
        Map<String, String> q = query(x.getRequestURI().getRawQuery());
        Pending p = q.containsKey("state") ? pending.remove(q.get("state")) : null;
        String browser = cookie(x, FLOW_COOKIE).orElse("");
        if (p == null || !p.browser().equals(browser) || p.started().plus(FLOW_LIFETIME).isBefore(Instant.now())) {
            page(x, 400, "Sign-in failed", "<p>This sign-in is unknown, expired, or was begun in another browser.</p>\n"
                    + "<p><a href=\"/\">Sign in again</a></p>");
            return;
        }
        if (q.containsKey("error") || !q.containsKey("code")) {
            page(x, 400, "Sign-in failed", "<p>The provider answered: " + esc(q.getOrDefault("error", "no code"))
                    + "</p>\n<p><a href=\"/\">Try again</a></p>");
            return;
        }
        DemoRelyingParty.SignedIn user;
        try {
            user = party.redeem(new AuthorizationCode(q.get("code")), p.verifier(), p.nonce());
        } catch (IllegalStateException e) {
            page(x, 502, "Sign-in failed", "<p>" + esc(e.getMessage()) + "</p>\n<p><a href=\"/\">Try again</a></p>");
            return;
        }
        String id = SessionId.generate().reveal();
        sessions.put(id, user);
        x.getResponseHeaders().add("Set-Cookie", FLOW_COOKIE + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
        x.getResponseHeaders().add("Set-Cookie", SESSION_COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Lax");
        redirect(x, 303, URI.create("/"));
    }

    private void signOut(HttpExchange x) throws IOException {
        x.getRequestBody().readNBytes(4096);
        DemoRelyingParty.SignedIn user = cookie(x, SESSION_COOKIE).map(sessions::remove).orElse(null);
        x.getResponseHeaders().add("Set-Cookie", SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
        redirect(x, 303, user == null ? URI.create("/signed-out") : party.logout(user.idToken(), new State()));
    }

    private static void redirect(HttpExchange x, int status, URI to) throws IOException {
        x.getResponseHeaders().set("Location", to.toString());
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.sendResponseHeaders(status, -1);
    }

    private static void page(HttpExchange x, int status, String title, String body) throws IOException {
        byte[] html = ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + "</title></head>\n<body>\n<h1>Baton demo application</h1>\n" + body + "\n</body></html>\n")
                .getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        x.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; form-action 'self'");
        x.sendResponseHeaders(status, html.length);
        x.getResponseBody().write(html);
    }

    /**
     * The value of the named cookie the request carries. Browsers send {@code name=value}; the JDK's cookie manager
     * sends a cookie that had a Max-Age in RFC 2965's form, {@code $Version="1"; name="value";$Path="/"}: both are read.
     */
    static Optional<String> cookie(HttpExchange x, String name) {
        for (String header : x.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String pair : header.split(";")) {
                String[] kv = pair.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(name)) {
                    String v = kv[1];
                    return Optional.of(v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v);
                }
            }
        }
        return Optional.empty();
    }

    /** A query string's parameters; a repeated one keeps its first value. */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                out.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A synchronized map that drops its eldest entry beyond {@value #MAX_ENTRIES}. */
    static <V> Map<String, V> bounded() {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_ENTRIES;
            }
        });
    }

    /** Stops serving at once. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
