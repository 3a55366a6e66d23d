package dev.baton.bench.admin;

import dev.baton.admin.AuditLog;
import dev.baton.admin.Operator;
import dev.baton.admin.OperatorRole;
import dev.baton.admin.Operators;
import dev.baton.agent.AgentTls;
import dev.baton.bench.LatencySamples;
import dev.baton.bench.Results;
import dev.baton.core.AccessPolicy;
import dev.baton.core.Argon2id;
import dev.baton.core.AuthServerKind;
import dev.baton.core.GatewayKind;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.Realm;
import dev.baton.core.Role;
import dev.baton.core.api.SignInRequest;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.IfmapFederation;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import dev.baton.ifmap.FederationClient;
import dev.baton.ifmap.FederationClientConfig;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.ifmap.server.IfmapServerConfig;
import dev.baton.store.MemorySessionStore;
import dev.baton.store.TieredStoreSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Revoking a user everywhere, as an operator does it: a federation server with its admin listener and three
 * gateways (IF-MAP over HTTPS, in this JVM), each holding ten sessions of the user. The time runs from the
 * operator's request to the federation server until no gateway holds any of them
 * ({@code admin.revoke_everywhere_ms}, the median of the rounds).
 */
final class RevokeEverywhere {
    private static final int GATEWAYS = 3;
    private static final int SESSIONS_PER_GATEWAY = 10;

    private RevokeEverywhere() {
    }

    static void measure(Path dir, int rounds, Results results) throws Exception {
        Map<String, String> users = new java.util.LinkedHashMap<>();
        for (int i = 0; i < GATEWAYS; i++) {
            users.put("gw-" + i, "pw-" + i);
        }
        Operators operators = Operators.of(Map.of("bench", new Operator("bench", OperatorRole.ADMIN)),
                Map.of("bench", Argon2id.hash("bench-pw".toCharArray(), 1024, 1)));
        IfmapServer federation = IfmapServer.builder().listen("127.0.0.1", 0).users(BasicAuthUsers.of(users))
                .gateways(users.keySet()).dataDirectory(dir.resolve("federation"))
                .admin(new IfmapServerConfig.Admin("127.0.0.1", 0, operators, AuditLog.DISCARD)).build().start();
        List<Gateway> gateways = new ArrayList<>();
        List<FederationClient> clients = new ArrayList<>();
        try {
            users.forEach((name, password) -> {
                FederationClient c = FederationClient.connect(FederationClientConfig.of(java.net.URI.create(federation.url()), name, password,
                        AgentTls.trustAll(), name));
                clients.add(c);
                gateways.add(gateway(name, new IfmapFederation(c, name)));
            });
            HttpClient http = HttpClient.newBuilder().sslContext(AgentTls.trustAll()).version(HttpClient.Version.HTTP_1_1).build();
            URI admin = federation.adminUrl().orElseThrow();
            LatencySamples samples = new LatencySamples();
            for (int round = 0; round <= rounds; round++) { // round 0 warms up
                long nanos = round(gateways, http, admin);
                if (round > 0) {
                    samples.record(nanos);
                }
            }
            results.figure("admin.revoke_everywhere_gateways", GATEWAYS);
            results.figure("admin.revoke_everywhere_sessions", GATEWAYS * SESSIONS_PER_GATEWAY);
            results.figure("admin.revoke_everywhere_ms", samples.percentileMillis(50));
        } finally {
            gateways.forEach(Gateway::close);
            clients.forEach(FederationClient::close);
            federation.stop();
        }
    }

    private static long round(List<Gateway> gateways, HttpClient http, URI admin) throws Exception {
        for (Gateway g : gateways) {
            for (int i = 0; i < SESSIONS_PER_GATEWAY; i++) {
                g.signIn(new SignInRequest("users", "alice", "pw", Map.of(),
                        ProofOfPossession.encode(ProofOfPossession.newKeyPair().getPublic())));
            }
        }
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(admin.resolve("/api/admin/v1/users/alice/revoke"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("bench:bench-pw".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("revoke answered " + r.statusCode() + ": " + r.body());
        }
        long deadline = start + Duration.ofSeconds(60).toNanos();
        while (gateways.stream().anyMatch(g -> g.sessionCount() > 0)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gateways still hold revoked sessions after 60 s");
            }
            LockSupport.parkNanos(100_000);
        }
        return System.nanoTime() - start;
    }

    private static Gateway gateway(String name, IfmapFederation federation) {
        LocalAccounts accounts = new LocalAccounts(1024, 1).add("alice", "pw".toCharArray(), Map.of());
        GatewayConfig config = new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff"), accounts)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of()));
        return new Gateway(config, federation, InstantSource.system(), new MemorySessionStore(), TieredStoreSettings.DEFAULTS,
                new SimpleMeterRegistry(), AuditLog.DISCARD);
    }
}
