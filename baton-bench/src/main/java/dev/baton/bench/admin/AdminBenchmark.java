package dev.baton.bench.admin;

import dev.baton.admin.AdminServer;
import dev.baton.admin.AuditLog;
import dev.baton.admin.Operator;
import dev.baton.admin.OperatorRole;
import dev.baton.admin.Operators;
import dev.baton.bench.LatencySamples;
import dev.baton.bench.Results;
import dev.baton.bench.RunMode;
import dev.baton.core.AccessPolicy;
import dev.baton.core.Argon2id;
import dev.baton.core.AuthServerKind;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.Role;
import dev.baton.core.SessionOptions;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.admin.GatewayAdmin;
import dev.baton.http.tls.SelfSignedCertificate;
import dev.baton.store.TieredStoreSettings;
import dev.baton.store.jdbc.JdbcSessionStore;
import dev.baton.store.jdbc.JdbcStoreConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The admin API against a large sessions table, as an operator uses it: one gateway whose PostgreSQL table
 * holds a million live sessions (100,000 with {@code --quick}), ten per user, and its admin listener over
 * HTTPS. Measures the first page (50) of a user filter, for random users, one request at a time
 * ({@code admin.user_filter_p50_ms}, {@code _p99_ms}; goal p99 at most 50 ms), and the count of every
 * session the gateway holds ({@code admin.count_ms}, the median of five); then revoking a user everywhere
 * across three gateways ({@link RevokeEverywhere}). The tables get a random prefix and are dropped at the end.
 */
public final class AdminBenchmark implements dev.baton.bench.Benchmark {
    private static final String GATEWAY = "bench-gw";

    @Override
    public boolean run(RunMode mode, Results results) throws Exception {
        boolean quick = mode == RunMode.QUICK;
        int sessions = quick ? 100_000 : 1_000_000;
        int requests = quick ? 500 : 3_000;
        String url = System.getenv().getOrDefault("BATON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String prefix = "bench_admin_" + Long.toHexString(System.nanoTime()) + "_";
        Path dir = Files.createTempDirectory("baton-bench-admin");
        results.note("admin: " + sessions + " sessions in PostgreSQL, 10 per user, one gateway; " + requests
                + " user-filter pages of 50 over HTTPS, one at a time");
        try (JdbcSessionStore store = JdbcSessionStore.open(JdbcStoreConfig.of(url, "", "").withTablePrefix(prefix))) {
            long loading = System.nanoTime();
            StoredSessions.load(url, prefix + "sessions", GATEWAY, sessions, 10, Instant.now());
            results.figure("admin.sessions", sessions);
            results.figure("admin.load_seconds", (System.nanoTime() - loading) / 1e9);
            try (Gateway gateway = gateway(store); AdminServer admin = admin(gateway, dir)) {
                HttpClient http = HttpClient.newBuilder().sslContext(dev.baton.agent.AgentTls.trustAll())
                        .version(HttpClient.Version.HTTP_1_1).build();
                measure(http, admin.url(), sessions / 10, requests, results);
            }
            RevokeEverywhere.measure(dir, quick ? 3 : 10, results);
        } finally {
            StoredSessions.drop(url, prefix);
        }
        return true;
    }

    private static void measure(HttpClient http, URI admin, int users, int requests, Results results) throws Exception {
        for (int i = 0; i < requests / 5; i++) { // warm-up: JIT, connections, PostgreSQL's plan cache
            get(http, admin, "sessions?limit=50&user=user" + ThreadLocalRandom.current().nextInt(users));
        }
        LatencySamples filter = new LatencySamples();
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            String body = get(http, admin, "sessions?limit=50&user=user" + ThreadLocalRandom.current().nextInt(users));
            filter.record(System.nanoTime() - t);
            if (!body.contains("\"hash\"")) {
                throw new IllegalStateException("a user filter found no session: " + body);
            }
        }
        results.figure("admin.user_filter_p50_ms", filter.percentileMillis(50));
        results.figure("admin.user_filter_p99_ms", filter.percentileMillis(99));
        LatencySamples count = new LatencySamples();
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            get(http, admin, "sessions/count");
            count.record(System.nanoTime() - t);
        }
        results.figure("admin.count_ms", count.percentileMillis(50));
    }

    private static String get(HttpClient http, URI admin, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(admin.resolve("/api/admin/v1/" + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("bench:bench-pw".getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("admin API answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static Gateway gateway(JdbcSessionStore store) {
        SessionOptions options = new SessionOptions(Duration.ofHours(8), Duration.ofHours(1), Duration.ofHours(1), false);
        Realm realm = Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff");
        AccessPolicy access = new AccessPolicy(List.of(new Role("staff", options, List.of())), List.of());
        GatewayConfig config = new GatewayConfig(GATEWAY, GatewayKind.REMOTE_ACCESS, false,
                List.of(new RealmBinding(realm, new LocalAccounts(1024, 1))), access);
        return new Gateway(config, new dev.baton.gateway.InMemoryFederation(Runnable::run), InstantSource.system(), store,
                TieredStoreSettings.DEFAULTS, new SimpleMeterRegistry(), AuditLog.DISCARD);
    }

    private static AdminServer admin(Gateway gateway, Path dir) {
        Operators operators = Operators.of(Map.of("bench", new Operator("bench", OperatorRole.AUDITOR)),
                Map.of("bench", Argon2id.hash("bench-pw".toCharArray(), 1024, 1)));
        return AdminServer.builder().listen("127.0.0.1", 0)
                .tls(SelfSignedCertificate.loadOrCreate(dir.resolve("admin.p12"), "127.0.0.1")).operators(operators)
                .routes(new GatewayAdmin(gateway, AuditLog.DISCARD, InstantSource.system(), Optional.empty()).routes())
                .build().start();
    }
}
