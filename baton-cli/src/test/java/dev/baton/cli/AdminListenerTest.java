package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentTls;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.AccessPolicy;
import dev.baton.core.Argon2id;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.ResultCode;
import dev.baton.core.Role;
import dev.baton.core.SessionId;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.config.GatewaySettings;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway processes' worth of wiring with admin listeners: what /metrics shows after one sign-in and one
 * migration, the admin API revoking the session, and the audit file.
 */
class AdminListenerTest {
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().sslContext(AgentTls.trustAll()).build();

    @Test
    void metricsMoveByExactlyWhatHappenedAndARevokedSessionIsRefused() throws Exception {
        Path operators = dir.resolve("operators.yaml");
        Files.writeString(operators, "operators:\n  ops:\n    role: admin\n    password-hash: \""
                + Argon2id.hash("ops-pw".toCharArray(), 1024, 1) + "\"\n");
        Files.setPosixFilePermissions(operators, PosixFilePermissions.fromString("rw-------"));
        IfmapServer federation = IfmapServer.builder().listen("127.0.0.1", 0)
                .users(BasicAuthUsers.of(Map.of("gw-a", "pa", "gw-b", "pb"))).gateways(List.of("gw-a", "gw-b"))
                .dataDirectory(dir.resolve("f")).build().start();
        try (GatewayNode a = node("gw-a", "pa", federation, operators); GatewayNode b = node("gw-b", "pb", federation, operators)) {
            URI adminA = a.adminUrl().orElseThrow();
            URI adminB = b.adminUrl().orElseThrow();
            HttpGatewayEndpoint atA = new HttpGatewayEndpoint(a.url(), AgentTls.trustAll(), Duration.ofSeconds(20));
            HttpGatewayEndpoint atB = new HttpGatewayEndpoint(b.url(), AgentTls.trustAll(), Duration.ofSeconds(20));
            Agent alice = new Agent(null, Map.of());
            alice.signIn(atA, "users", "alice", "pw");
            alice.connect(atB);
            String hash = SessionId.hashOf(alice.state().sessionId()).hex();
            await().atMost(Duration.ofSeconds(10)).until(() -> a.gateway().session(SessionId.hashOf(alice.state().sessionId())).isEmpty());

            String atAMetrics = get(adminA, "metrics");
            assertThat(value(atAMetrics, "baton_signins_total{outcome=\"ok\",realm=\"users\"}")).isEqualTo(1.0);
            assertThat(value(atAMetrics, "baton_migrations_total{direction=\"out\",outcome=\"ok\"}")).isEqualTo(1.0);
            assertThat(value(atAMetrics, "baton_sessions_held")).isZero();
            assertThat(value(atAMetrics, "baton_federation_connected")).isEqualTo(1.0);
            assertThat(atAMetrics).contains("jvm_memory_used_bytes", "process_cpu_usage");
            String atBMetrics = get(adminB, "metrics");
            assertThat(value(atBMetrics, "baton_migrations_total{direction=\"in\",outcome=\"ok\"}")).isEqualTo(1.0);
            assertThat(value(atBMetrics, "baton_migration_duration_seconds_count")).isEqualTo(1.0);
            assertThat(value(atBMetrics, "baton_sessions_held")).isEqualTo(1.0);
            assertThat(atBMetrics).doesNotContain("signins_total{outcome=\"ok\"").doesNotContain("alice").doesNotContain(hash);

            assertThat(get(adminB, "api/admin/v1/sessions?user=alice")).contains(hash).doesNotContain(alice.state().sessionId());
            HttpResponse<String> console = http.send(HttpRequest.newBuilder(adminB.resolve("/console/sign-in")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(console.statusCode()).isEqualTo(200);
            assertThat(console.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
            post(adminB, "api/admin/v1/sessions/" + hash + "/revoke");
            assertThat(BatonRefusal.of(() -> alice.access(atB))).isEqualTo(ResultCode.SESSION_EXPIRED); // "it was revoked ..."
            assertThat(Files.readString(dir.resolve("gw-b/audit/audit.jsonl")))
                    .contains("\"event\":\"migration-in\"", "\"event\":\"admin-action\"", "\"operator\":\"ops\"", hash)
                    .doesNotContain(alice.state().sessionId());
        } finally {
            federation.stop();
        }
    }

    private String get(URI admin, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(admin.resolve("/" + path)).header("Authorization", basic()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private void post(URI admin, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(admin.resolve("/" + path)).header("Authorization", basic())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString("ops:ops-pw".getBytes(StandardCharsets.UTF_8));
    }

    /** The value of one sample line of a Prometheus text page; fails if the line is missing. */
    static double value(String page, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(page);
        assertThat(m.find()).as("sample " + sample + " in\n" + page).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private GatewayNode node(String name, String password, IfmapServer federation, Path operators) {
        LocalAccounts accounts = new LocalAccounts(1024, 1).add("alice", "pw".toCharArray(), Map.of());
        GatewayConfig config = new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff"), accounts)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of()));
        return GatewayNode.start(new GatewaySettings(config, new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                new GatewaySettings.Federation(federation.url(), name, password, true, Optional.empty(),
                        dev.baton.ifmap.FederationClientConfig.DEFAULT_POLL_COALESCE),
                new GatewaySettings.Storage("memory", "", "", ""),
                Optional.of(new GatewaySettings.Admin(new InetSocketAddress("127.0.0.1", 0), operators, Optional.empty()))),
                dir.resolve(name), Clock.systemUTC());
    }

    /** The result code a refused call fails with. */
    private static final class BatonRefusal {
        static ResultCode of(Runnable call) {
            try {
                call.run();
            } catch (BatonException e) {
                return e.code();
            }
            throw new AssertionError("the call was not refused");
        }
    }
}
