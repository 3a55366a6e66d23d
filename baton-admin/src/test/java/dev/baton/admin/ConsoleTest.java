package dev.baton.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.core.Argon2id;
import dev.baton.http.tls.SelfSignedCertificate;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleTest {
    /** A session id the fake routes hold; only its hash may ever reach a page. */
    static final String SESSION_ID = "sid-very-secret-0123456789";
    static final String HASH = "ab".repeat(32);
    static final String BROWSER_HASH = "cd".repeat(32);

    @TempDir
    Path dir;
    private AdminServer server;
    private HttpClient http;
    private final List<String> revoked = new CopyOnWriteArrayList<>();
    private final AtomicLong signIns = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        SelfSignedCertificate.Identity tls = SelfSignedCertificate.loadOrCreate(dir.resolve("admin.p12"), "127.0.0.1");
        Operators operators = Operators.of(
                Map.of("root", new Operator("root", OperatorRole.ADMIN), "watcher", new Operator("watcher", OperatorRole.AUDITOR)),
                Map.of("root", Argon2id.hash("root-pw".toCharArray(), 1024, 1),
                        "watcher", Argon2id.hash("watcher-pw".toCharArray(), 1024, 1)));
        List<ApiRoute> routes = List.of(
                new ApiRoute("GET", "/sessions", OperatorRole.AUDITOR, call -> {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("hash", HASH);
                    s.put("user", "alice");
                    s.put("realm", "users");
                    s.put("roles", List.of("staff"));
                    s.put("startTime", "2026-01-01T08:00:00Z");
                    s.put("lastActivity", "2026-01-01T08:05:00Z");
                    s.put("expiry", "2026-01-01T16:00:00Z");
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("gateway", "gw-1");
                    m.put("sessions", call.query("user").orElse("alice").equals("alice") ? List.of(s) : List.of());
                    m.put("next", null);
                    return m;
                }),
                new ApiRoute("POST", "/sessions/{hash}/revoke", OperatorRole.ADMIN, call -> {
                    call.require(OperatorRole.ADMIN);
                    revoked.add(call.path("hash"));
                    return Map.of("revoked", List.of(call.path("hash")));
                }),
                new ApiRoute("POST", "/users/{user}/revoke", OperatorRole.ADMIN, call -> {
                    revoked.add("user:" + call.path("user"));
                    return Map.of("revoked", List.of(HASH));
                }),
                new ApiRoute("GET", "/authentication-sessions", OperatorRole.AUDITOR, call -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("gateway", "gw-1");
                    m.put("sessions", List.of(Map.of("hash", BROWSER_HASH, "user", "bob", "realm", "users", "roles", List.of("staff"),
                            "gateway", "gw-1/sso", "startTime", "2026-01-01T08:00:00Z", "lastActivity", "2026-01-01T08:05:00Z",
                            "expiry", "2026-01-01T16:00:00Z")));
                    m.put("next", null);
                    return m;
                }),
                new ApiRoute("POST", "/authentication-sessions/{hash}/revoke", OperatorRole.ADMIN, call -> {
                    revoked.add("browser:" + call.path("hash"));
                    return Map.of("revoked", List.of(call.path("hash")));
                }));
        DashboardSource source = new DashboardSource() {
            public long sessionsHeld() {
                return 7;
            }

            public long signIns() {
                return signIns.get();
            }

            public long migrations() {
                return 0;
            }
        };
        server = AdminServer.builder().tls(tls).operators(operators).routes(routes)
                .console(Console.builder().routes(routes).dashboard(source)
                        .storage(() -> Map.of("Session store", "available")).build())
                .build().start();
        http = HttpClient.newBuilder().sslContext(AdminServerTest.trusting(tls)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void signingInSetsAStrictSecureHttpOnlyCookieAndEveryPageForbidsScripts() throws Exception {
        HttpResponse<String> form = get("/console/sign-in", null);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<label for=\"name\">Operator name</label>", "<label for=\"password\">Password</label>")
                .doesNotContain("<script");
        assertThat(form.headers().firstValue("Content-Security-Policy")).hasValue(Console.CSP);
        assertThat(get("/console/dashboard", null).headers().firstValue("Location")).hasValue("/console/sign-in");

        HttpResponse<String> signedIn = post("/console/sign-in", null, Map.of("name", "root", "password", "root-pw"), null);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).matches("baton-console=[A-Za-z0-9_-]{43}; .*")
                .contains("HttpOnly", "Secure", "SameSite=Strict", "Path=/console");

        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> dashboard = get("/console/dashboard", cookie);
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("Sessions held now: <strong>7</strong>", "<svg", "Signed in as <strong>root</strong>")
                .doesNotContain("<script", cookie.substring(cookie.indexOf('=') + 1));
        for (String h : List.of("Content-Security-Policy", "Cache-Control", "X-Content-Type-Options", "Referrer-Policy")) {
            assertThat(dashboard.headers().firstValue(h)).as(h).isPresent();
        }
        assertThat(dashboard.headers().firstValue("Content-Security-Policy")).hasValue(Console.CSP);
        assertThat(get("/console/static/console.css", null).body()).contains("font");
    }

    @Test
    void aGuessedCookieGetsTheSignInPageAndAFloodOfWrongPasswordsLocksTheAddressOutRightPasswordIncluded() throws Exception {
        String guessed = "baton-console=" + "A".repeat(43);
        HttpResponse<String> withGuess = get("/console/dashboard", guessed);
        assertThat(withGuess.statusCode()).isEqualTo(303);
        assertThat(withGuess.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/console/sign-in"));
        for (int i = 0; i < OperatorAuthentication.MAX_FAILURES; i++) {
            assertThat(post("/console/sign-in", null, Map.of("name", "root", "password", "guess" + i), null).statusCode())
                    .isEqualTo(401);
        }
        HttpResponse<String> locked = post("/console/sign-in", null, Map.of("name", "root", "password", "root-pw"), null);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void aWrongPasswordShowsTheFormAgainWithWhatToDo() throws Exception {
        HttpResponse<String> wrong = post("/console/sign-in", null, Map.of("name", "root", "password", "nope"), null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(wrong.body()).contains("role=\"alert\"", "do not match an operator", "value=\"root\"", "action=\"/console/sign-in\"");
    }

    @Test
    void aMissingOrWrongTokenOrACrossSiteOriginIsRefusedAndChangesNothing() throws Exception {
        String cookie = signIn("root", "root-pw");
        assertThat(post("/console/revoke-session", cookie, Map.of("hash", HASH), null).statusCode()).isEqualTo(403);
        HttpResponse<String> wrongToken = post("/console/revoke-session", cookie, Map.of("hash", HASH, "csrf", "x".repeat(43)), null);
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(wrongToken.body()).contains("security token");
        String token = csrf(get("/console/dashboard", cookie).body());
        HttpResponse<String> crossSite = post("/console/revoke-session", cookie, Map.of("hash", HASH, "csrf", token),
                "https://evil.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.body()).contains("sent from another web site");
        assertThat(revoked).isEmpty();
    }

    @Test
    void anAdminRevokesAfterConfirmingAndPagesShowOnlyHashes() throws Exception {
        String cookie = signIn("root", "root-pw");
        HttpResponse<String> list = get("/console/sessions?user=alice", cookie);
        assertThat(list.body()).contains("<caption>", HASH, "href=\"/console/revoke-session?hash=" + HASH + "\"")
                .doesNotContain(SESSION_ID);
        HttpResponse<String> confirm = get("/console/revoke-session?hash=" + HASH, cookie);
        assertThat(confirm.body()).contains("Revoke this session", "name=\"csrf\"");
        assertThat(revoked).as("the confirm page changes nothing").isEmpty();
        HttpResponse<String> done = post("/console/revoke-session", cookie, Map.of("hash", HASH, "csrf", csrf(confirm.body())),
                server.url().toString().replaceAll("/$", ""));
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Revoked 1 session");
        assertThat(revoked).containsExactly(HASH);

        HttpResponse<String> user = get("/console/user?name=alice", cookie);
        assertThat(user.body()).contains("Revoke all sessions of alice");
        String token = csrf(get("/console/revoke-user?name=alice", cookie).body());
        assertThat(post("/console/revoke-user", cookie, Map.of("name", "alice", "csrf", token), null).statusCode()).isEqualTo(200);
        assertThat(revoked).containsExactly(HASH, "user:alice");
    }

    @Test
    void browserSignInsHaveTheirOwnPageAndTheirRevocationGoesToTheirRoute() throws Exception {
        String cookie = signIn("root", "root-pw");
        HttpResponse<String> sessions = get("/console/sessions", cookie);
        assertThat(sessions.body()).contains("href=\"/console/browser-sessions\"").doesNotContain(BROWSER_HASH);
        HttpResponse<String> list = get("/console/browser-sessions", cookie);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("Browser sign-ins held by gw-1", BROWSER_HASH,
                "href=\"/console/revoke-browser-session?hash=" + BROWSER_HASH + "\"", "action=\"/console/browser-sessions\"");
        HttpResponse<String> confirm = get("/console/revoke-browser-session?hash=" + BROWSER_HASH, cookie);
        assertThat(confirm.body()).contains("the applications are told on the back channel", "action=\"/console/revoke-browser-session\"");
        HttpResponse<String> done = post("/console/revoke-browser-session", cookie,
                Map.of("hash", BROWSER_HASH, "csrf", csrf(confirm.body())), server.url().toString().replaceAll("/$", ""));
        assertThat(done.body()).contains("Revoked 1 session");
        assertThat(revoked).containsExactly("browser:" + BROWSER_HASH);
    }

    @Test
    void anAuditorSeesNoRevokeButtonAndAForgedRevokeIsRefusedByTheRoute() throws Exception {
        String cookie = signIn("watcher", "watcher-pw");
        HttpResponse<String> list = get("/console/user?name=alice", cookie);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(HASH).doesNotContain("revoke-session", "revoke-user");
        String token = csrf(list.body());
        HttpResponse<String> forged = post("/console/revoke-session", cookie, Map.of("hash", HASH, "csrf", token), null);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("needs admin");
        assertThat(get("/console/revoke-session?hash=" + HASH, cookie).statusCode()).isEqualTo(403);
        assertThat(revoked).isEmpty();
    }

    @Test
    void aBrowserFormUnderNoReferrerSendsOriginNullWhichPassesOnlyWhenFetchMetadataSaysSameOrigin() throws Exception {
        String cookie = signIn("root", "root-pw");
        String token = csrf(get("/console/dashboard", cookie).body());
        assertThat(post("/console/revoke-session", cookie, Map.of("hash", HASH, "csrf", token), "null",
                "cross-site").statusCode()).isEqualTo(403);
        assertThat(post("/console/revoke-session", cookie, Map.of("hash", HASH, "csrf", token), "null", null)
                .statusCode()).isEqualTo(403);
        assertThat(post("/console/revoke-session", cookie, Map.of("hash", HASH, "csrf", token), null, "same-site")
                .statusCode()).isEqualTo(403);
        assertThat(revoked).isEmpty();
        assertThat(post("/console/revoke-session", cookie, Map.of("hash", HASH, "csrf", token), "null",
                "same-origin").statusCode()).isEqualTo(200);
        assertThat(revoked).containsExactly(HASH);
    }

    @Test
    void signingOutEndsTheSession() throws Exception {
        String cookie = signIn("root", "root-pw");
        String token = csrf(get("/console/dashboard", cookie).body());
        assertThat(post("/console/sign-out", cookie, Map.of("csrf", token), null).statusCode()).isEqualTo(303);
        assertThat(get("/console/dashboard", cookie).statusCode()).isEqualTo(303);
    }

    @Test
    void minuteSeriesCountsPerMinuteAndForgetsWhatIsOverAnHourOld() {
        MinuteSeries counter = new MinuteSeries(true);
        long m = Instant.parse("2026-01-01T08:00:00Z").getEpochSecond() / 60;
        counter.observe(m, 100);
        counter.observe(m + 1, 103);
        counter.observe(m + 1, 105);
        counter.observe(m + 3, 106);
        long[] hour = counter.lastHour(m + 3);
        assertThat(hour[59]).isEqualTo(1);
        assertThat(hour[58]).isZero();
        assertThat(hour[57]).isEqualTo(5);
        assertThat(counter.lastHour(m + 100)).containsOnly(0L);
        MinuteSeries gauge = new MinuteSeries(false);
        gauge.observe(m, 4);
        gauge.observe(m, 9);
        gauge.observe(m, 2);
        assertThat(gauge.lastHour(m)[59]).isEqualTo(9);
    }

    private String signIn(String name, String password) throws Exception {
        HttpResponse<String> r = post("/console/sign-in", null, Map.of("name", name, "password", password), null);
        assertThat(r.statusCode()).isEqualTo(303);
        String c = r.headers().firstValue("Set-Cookie").orElseThrow();
        return c.substring(0, c.indexOf(';'));
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a csrf field in the page").isTrue();
        return m.group(1);
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(20));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, Map<String, String> form, String origin) throws Exception {
        return post(path, cookie, form, origin, null);
    }

    private HttpResponse<String> post(String path, String cookie, Map<String, String> form, String origin,
                                      String fetchSite) throws Exception {
        List<String> parts = new ArrayList<>();
        form.forEach((k, v) -> parts.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", parts)));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (fetchSite != null) {
            b.header("Sec-Fetch-Site", fetchSite);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
