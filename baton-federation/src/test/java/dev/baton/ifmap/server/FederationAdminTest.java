package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.admin.AuditLog;
import dev.baton.admin.Operator;
import dev.baton.admin.OperatorRole;
import dev.baton.admin.Operators;
import dev.baton.core.Argon2id;
import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.FederatedSession;
import dev.baton.ifmap.FederationClient;
import dev.baton.ifmap.FederationClientConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The federation server's admin API over HTTPS against a real server with real gateways' clients: the sessions of
 * the federation graph listed, paged, filtered and counted; revocation marks, which reach the holding gateways; the
 * rule that a gateway marks only for a session limit; and the meters at {@code /metrics}.
 */
class FederationAdminTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BATON = " xmlns:baton=\"urn:dev.baton:ifmap:1\"";
    @TempDir
    static Path dir;
    static IfmapServer server;
    static FederationClient gwA;
    static FederationClient gwB;
    static HttpClient http;
    static final List<Map<String, Object>> audit = new CopyOnWriteArrayList<>();
    static final ConcurrentLinkedQueue<SessionIdHash> revokedAtA = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<SessionIdHash> revokedAtB = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() {
        Operators operators = Operators.of(
                Map.of("root", new Operator("root", OperatorRole.ADMIN), "watcher", new Operator("watcher", OperatorRole.AUDITOR)),
                Map.of("root", Argon2id.hash("root-pw".toCharArray(), 1024, 1),
                        "watcher", Argon2id.hash("watcher-pw".toCharArray(), 1024, 1)));
        AuditLog collecting = new AuditLog("federation", InstantSource.system()) {
            @Override
            protected void write(Map<String, Object> event) {
                audit.add(event);
            }
        };
        server = TestServers.builder(dir).inMemoryOnly()
                .admin(new IfmapServerConfig.Admin("127.0.0.1", 0, operators, collecting)).build().start();
        gwA = client("gw-a", revokedAtA);
        gwB = client("gw-b", revokedAtB);
        http = HttpClient.newBuilder().sslContext(TestServers.sslContext(server.certificate()))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        gwA.close();
        gwB.close();
        server.stop();
    }

    /** A gateway's client that ends (withdraws) a revoked session as a gateway does, and remembers it. */
    private static FederationClient client(String gateway, ConcurrentLinkedQueue<SessionIdHash> revoked) {
        FederationClient c = FederationClient.connect(FederationClientConfig.of(URI.create(server.url()), gateway,
                TestServers.USERS.get(gateway), TestServers.sslContext(server.certificate()), gateway)
                .withIntervals(Duration.ofSeconds(30), Duration.ofMillis(400)));
        c.onRevoked(hash -> {
            c.withdraw(hash);
            revoked.add(hash);
        });
        return c;
    }

    private static SessionIdHash randomHash() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return SessionIdHash.parse(HexFormat.of().formatHex(b));
    }

    /** A session of {@code user} published by {@code gw}, started {@code minutes} after T0; its subscription is sent. */
    private static SessionIdHash publish(FederationClient gw, String gateway, String user, int minutes) throws Exception {
        SessionIdHash h = randomHash();
        gw.publishSession(Session.start(h, user, "Users", new AuthGroup("corp"), AuthServerKind.LDAP, Set.of("staff"),
                Map.of("department", List.of("secret-dept")), T0.plusSeconds(60L * minutes), gateway)
                .withAgentKey("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"), Set.of());
        assertThat(gw.awaitSubscriptions(Duration.ofSeconds(10))).isTrue();
        return h;
    }

    private static HttpResponse<String> call(String method, String path, String operator) throws Exception {
        String pw = operator + "-pw";
        HttpRequest.Builder b = HttpRequest.newBuilder(server.adminUrl().orElseThrow().resolve(path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((operator + ":" + pw).getBytes(StandardCharsets.UTF_8)));
        b = method.equals("POST") ? b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                : b.GET();
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String method, String path, String operator) throws Exception {
        HttpResponse<String> r = call(method, path, operator);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> hashes(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("sessions").forEach(s -> out.add(s.get("hash").asText()));
        return out;
    }

    @Test
    void listsTheFederationsSessionsWithTheirGatewaysPagedAndFiltered() throws Exception {
        List<String> atA = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            atA.add(publish(gwA, "gw-a", "list-ann", i).hex());
        }
        String atB = publish(gwB, "gw-b", "list-ann", 10).hex();
        String other = publish(gwB, "gw-b", "list-ben", 11).hex();

        JsonNode ann = json("GET", "/api/admin/v1/sessions?user=list-ann", "watcher");
        List<String> all = new ArrayList<>(atA);
        all.add(atB);
        assertThat(hashes(ann)).containsExactlyElementsOf(all.stream().sorted().toList());
        assertThat(ann.get("next").isNull()).isTrue();
        JsonNode first = ann.get("sessions").get(0);
        assertThat(first.get("user").asText()).isEqualTo("list-ann");
        assertThat(first.get("realm").asText()).isEqualTo("Users");
        assertThat(first.get("group").asText()).isEqualTo("corp");
        assertThat(first.get("generation").asLong()).isEqualTo(1);
        assertThat(first.get("roles").toString()).isEqualTo("[\"staff\"]");
        assertThat(ann.toString()).doesNotContain("MFkwEwYH", "secret-dept", "agent");
        for (JsonNode s : ann.get("sessions")) {
            assertThat(s.get("gateway").asText()).isEqualTo(s.get("hash").asText().equals(atB) ? "gw-b" : "gw-a");
        }

        assertThat(hashes(json("GET", "/api/admin/v1/sessions?user=list-ann&gateway=gw-b", "watcher"))).containsExactly(atB);
        assertThat(hashes(json("GET", "/api/admin/v1/sessions?gateway=gw-b", "watcher"))).contains(atB, other)
                .doesNotContainAnyElementsOf(atA);

        JsonNode page1 = json("GET", "/api/admin/v1/sessions?user=list-ann&limit=3", "watcher");
        assertThat(hashes(page1)).containsExactlyElementsOf(all.stream().sorted().limit(3).toList());
        JsonNode page2 = json("GET", "/api/admin/v1/sessions?user=list-ann&limit=3&after=" + page1.get("next").asText(), "watcher");
        assertThat(hashes(page2)).containsExactly(all.stream().sorted().skip(3).findFirst().orElseThrow());
        assertThat(page2.get("next").isNull()).isTrue();

        assertThat(json("GET", "/api/admin/v1/sessions/count?user=list-ann", "watcher").get("count").asInt()).isEqualTo(4);
        assertThat(json("GET", "/api/admin/v1/sessions/count?user=list-ann&gateway=gw-a", "watcher").get("count").asInt())
                .isEqualTo(3);
        assertThat(call("GET", "/api/admin/v1/sessions?after=nonsense", "watcher").statusCode()).isEqualTo(400);
    }

    /** The end-to-end case: alice holds a session at each of two gateways; the admin revokes alice everywhere. */
    @Test
    void revokingAUserEverywhereEndsHerSessionsAtEveryGatewayAndMarksThemForGood() throws Exception {
        SessionIdHash atA = publish(gwA, "gw-a", "alice", 0);
        SessionIdHash atB = publish(gwB, "gw-b", "alice", 1);
        SessionIdHash bobs = publish(gwA, "gw-a", "revoke-bob", 2);

        assertThat(call("POST", "/api/admin/v1/users/alice/revoke", "watcher").statusCode()).isEqualTo(403);
        assertThat(gwB.lookup(atA)).hasValueSatisfying(f -> assertThat(f.revoked()).isFalse());

        JsonNode answer = json("POST", "/api/admin/v1/users/alice/revoke", "root");
        assertThat(answer.get("revoked").toString()).contains(atA.hex(), atB.hex()).doesNotContain(bobs.hex());
        await().atMost(Duration.ofSeconds(10)).until(() -> revokedAtA.contains(atA) && revokedAtB.contains(atB));
        assertThat(revokedAtA).doesNotContain(bobs);
        await().atMost(Duration.ofSeconds(5)).until(() -> !gwA.owns(atA) && !gwB.owns(atB));

        // Each holder withdrew its session, and the mark outlived the withdrawal: no gateway can take it in.
        for (SessionIdHash h : List.of(atA, atB)) {
            FederatedSession seen = gwB.lookup(h).orElseThrow();
            assertThat(seen.revoked()).isTrue();
            List<String> graph = onAccessRequest(h);
            assertThat(graph).singleElement().satisfies(l -> assertThat(l).contains("baton:revoked", "by baton:federation",
                    "reason=\"operator\"", "by=\"root\"", "forever"));
        }
        assertThat(gwB.lookup(bobs)).hasValueSatisfying(f -> assertThat(f.revoked()).isFalse());
        assertThat(json("GET", "/api/admin/v1/sessions/count?user=alice", "watcher").get("count").asInt()).isZero();
        assertThat(audit).anySatisfy(e -> assertThat(e).containsEntry("action", "revoke-user").containsEntry("target", "alice")
                .containsEntry("operator", "root").containsEntry("outcome", "2 revoked"));
        // Revoking again finds nothing live.
        assertThat(json("POST", "/api/admin/v1/users/alice/revoke", "root").get("revoked").size()).isZero();
    }

    @Test
    void revokingOneSessionMarksItAndRemovesItsDataAtOnce() throws Exception {
        // gw-c's client does not end revoked sessions, so what the server itself changed stays visible.
        try (FederationClient gwC = FederationClient.connect(FederationClientConfig.of(URI.create(server.url()), "gw-c",
                TestServers.USERS.get("gw-c"), TestServers.sslContext(server.certificate()), "gw-c"))) {
            SessionIdHash h = publish(gwC, "gw-c", "one-carl", 0);
            assertThat(onAccessRequest(h)).anyMatch(l -> l.contains("<baton:session "));
            assertThat(call("POST", "/api/admin/v1/sessions/" + randomHash().hex() + "/revoke", "root").statusCode())
                    .isEqualTo(404);
            assertThat(call("POST", "/api/admin/v1/sessions/XYZ/revoke", "root").statusCode()).isEqualTo(400);
            assertThat(call("POST", "/api/admin/v1/sessions/" + h.hex() + "/revoke", "watcher").statusCode()).isEqualTo(403);

            assertThat(json("POST", "/api/admin/v1/sessions/" + h.hex() + "/revoke", "root").get("revoked").get(0).asText())
                    .isEqualTo(h.hex());
            List<String> left = onAccessRequest(h);
            assertThat(left).noneMatch(l -> l.contains("<baton:session "))
                    .anyMatch(l -> l.contains("<baton:session-owner ")).anyMatch(l -> l.contains("<baton:revoked "));
            assertThat(gwB.lookup(h)).hasValueSatisfying(f -> assertThat(f.revoked()).isTrue());
            assertThat(audit).anySatisfy(e -> assertThat(e).containsEntry("action", "revoke-session")
                    .containsEntry("target", h.hex()).containsEntry("outcome", "revoked"));

            // The holder's own sign-out delete removes its data but not the server's mark.
            gwC.withdraw(h);
            assertThat(onAccessRequest(h)).singleElement().satisfies(l -> assertThat(l).contains("<baton:revoked "));
            // An IF-MAP admin client, whose deletes reach every other publisher's metadata, may not touch it either.
            RawSoap admin = new RawSoap(server, "admin");
            assertThat(admin.request("<ifmap:publish session-id=\"" + admin.newSession() + "\"><delete><access-request name=\""
                    + h.hex() + "\" administrative-domain=\"baton\"/></delete></ifmap:publish>")).contains("AccessDenied");
            assertThat(onAccessRequest(h)).singleElement().satisfies(l -> assertThat(l).contains("<baton:revoked "));
            assertThat(gwB.lookup(h)).hasValueSatisfying(f -> assertThat(f.revoked()).isTrue());
        }
    }

    /** The graph's lines of the access-request of {@code h} itself (not its links). */
    private static List<String> onAccessRequest(SessionIdHash h) {
        return TestServers.graph(server).stream().filter(l -> l.contains(h.hex()) && !l.contains(" -- ")).toList();
    }

    @Test
    void aGatewayMarksAnotherGatewaysSessionForASessionLimitOnlyAndNoOtherClientMayMarkAtAll() throws Exception {
        SessionIdHash h = publish(gwA, "gw-a", "limit-dora", 0);
        String update = "<ifmap:publish session-id=\"%s\"><update lifetime=\"forever\"><access-request name=\"" + h.hex()
                + "\" administrative-domain=\"baton\"/><metadata><baton:revoked" + BATON
                + " ifmap-cardinality=\"singleValue\" by=\"%s\" reason=\"%s\"/></metadata></update></ifmap:publish>";

        RawSoap alice = new RawSoap(server, "alice"); // a standard publisher
        assertThat(alice.request(update.formatted(alice.newSession(), "alice", "session-limit"))).contains("AccessDenied");
        RawSoap admin = new RawSoap(server, "admin"); // an IF-MAP admin client is no gateway either
        assertThat(admin.request(update.formatted(admin.newSession(), "admin", "session-limit"))).contains("AccessDenied");
        RawSoap gwC = new RawSoap(server, "gw-c");
        String sid = gwC.newSession();
        assertThat(gwC.request(update.formatted(sid, "gw-c", "operator"))).contains("AccessDenied", "session-limit");
        assertThat(gwC.request(update.formatted(sid, "gw-a", "session-limit"))).contains("AccessDenied", "by");
        assertThat(gwB.lookup(h)).hasValueSatisfying(f -> assertThat(f.revoked()).isFalse());

        gwB.revokeForLimit(h);
        await().atMost(Duration.ofSeconds(10)).until(() -> revokedAtA.contains(h));
        assertThat(gwB.lookup(h)).hasValueSatisfying(f -> assertThat(f.revoked()).isTrue());
        assertThat(onAccessRequest(h)).singleElement().satisfies(l -> assertThat(l).contains("by baton:federation", "reason=\"session-limit\"", "by=\"gw-b\""));
        // A session that is no longer live cannot be marked again.
        assertThat(gwC.request(update.formatted(sid, "gw-c", "session-limit"))).contains("AccessDenied", "live session");
    }

    @Test
    void sessionsOfAUserAreFoundThroughHerIdentity() throws Exception {
        SessionIdHash a = publish(gwA, "gw-a", "count-eve", 5);
        SessionIdHash b = publish(gwB, "gw-b", "count-eve", 1);
        assertThat(gwA.sessionsOf("count-eve")).extracting(FederatedSession::hash).containsExactlyInAnyOrder(a, b);
        assertThat(gwA.sessionsOf("count-eve")).allSatisfy(f -> assertThat(f.revoked()).isFalse());
        assertThat(gwA.sessionsOf("nobody-here")).isEmpty();
    }

    @Test
    void metricsCountExactlyTheRequestsMadeByOperationAndOutcome() throws Exception {
        Map<String, Double> before = scrape();
        RawSoap reader = new RawSoap(server, "reader");
        String sid = reader.newSession();
        for (int i = 0; i < 3; i++) {
            reader.request("<ifmap:search session-id=\"" + sid + "\" max-depth=\"0\"><access-request name=\"m" + i
                    + "\"/></ifmap:search>");
        }
        reader.request("<ifmap:publish session-id=\"" + sid + "\"><update><access-request name=\"x\"/><metadata>"
                + "<meta:role ifmap-cardinality=\"multiValue\"><name>r</name></meta:role></metadata></update></ifmap:publish>");
        reader.request("<ifmap:search session-id=\"not-a-session\" max-depth=\"0\"><access-request name=\"y\"/></ifmap:search>");
        Map<String, Double> after = scrape();

        assertThat(delta(before, after, "baton_ifmap_requests_total{operation=\"newSession\",outcome=\"ok\"}")).isEqualTo(1);
        assertThat(delta(before, after, "baton_ifmap_requests_total{operation=\"search\",outcome=\"ok\"}")).isEqualTo(3);
        assertThat(delta(before, after, "baton_ifmap_requests_total{operation=\"publish\",outcome=\"AccessDenied\"}"))
                .isEqualTo(1);
        assertThat(delta(before, after, "baton_ifmap_requests_total{operation=\"search\",outcome=\"InvalidSessionID\"}"))
                .isEqualTo(1);
        assertThat(delta(before, after, "baton_ifmap_request_duration_seconds_count{operation=\"search\"}")).isEqualTo(4);
        assertThat(after).containsKey("baton_ifmap_request_duration_seconds_bucket{operation=\"search\",le=\"+Inf\"}");
        assertThat(after.get("baton_ifmap_graph_metadata")).isPositive();
        assertThat(after.get("baton_ifmap_graph_identifiers")).isPositive();
        assertThat(after.get("baton_ifmap_client_sessions")).isGreaterThanOrEqualTo(3);
        assertThat(after).containsKey("baton_ifmap_poll_queued");
        assertThat(after.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"))
                .anyMatch(k -> k.startsWith("process_uptime_seconds")).anyMatch(k -> k.startsWith("jvm_threads_live"))
                .anyMatch(k -> k.startsWith("system_cpu_count")).anyMatch(k -> k.startsWith("jvm_gc"));
        // No label carries a user name or a session.
        assertThat(after.keySet().stream().filter(k -> k.startsWith("baton_ifmap")))
                .noneMatch(k -> k.contains("reader") || k.contains("gw-a") || k.contains("user="));
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        return after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
    }

    /** {@code /metrics} over HTTPS, parsed: series (name and labels) to value. */
    private static Map<String, Double> scrape() throws Exception {
        HttpResponse<String> r = call("GET", "/metrics", "watcher");
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> out = new java.util.HashMap<>();
        Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][\\w:]*(?:\\{[^}]*\\})?) (\\S+)$").matcher(r.body());
        while (m.find()) {
            out.put(m.group(1).replaceAll(",}", "}"), Double.parseDouble(m.group(2)));
        }
        return out;
    }
}
