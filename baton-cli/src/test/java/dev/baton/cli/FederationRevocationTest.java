package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.admin.AuditLog;
import dev.baton.admin.Operator;
import dev.baton.admin.OperatorRole;
import dev.baton.admin.Operators;
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
import dev.baton.core.SessionIdHash;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.SessionLimit;
import dev.baton.gateway.config.GatewaySettings;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.ifmap.server.IfmapServerConfig;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation and session limits with real gateways (HTTPS agents' API, IF-MAP client) and a real federation server:
 * the operator revokes a user everywhere on the federation's admin API, and a realm's end-oldest limit revokes the
 * user's session at the other gateway.
 */
class FederationRevocationTest {
    @TempDir
    Path dir;

    @Test
    void anOperatorRevokesAUserEverywhereAndEveryGatewayEndsHerSession() throws Exception {
        IfmapServer federation = federation(true);
        try (GatewayNode a = node("gw-a", "pa", federation, SessionLimit.NONE);
             GatewayNode b = node("gw-b", "pb", federation, SessionLimit.NONE)) {
            HttpGatewayEndpoint atA = endpoint(a);
            HttpGatewayEndpoint atB = endpoint(b);
            Agent first = new Agent(null, Map.of());
            first.signIn(atA, "users", "alice", "pw");
            Agent second = new Agent(null, Map.of());
            second.signIn(atB, "users", "alice", "pw");
            SessionIdHash h1 = SessionId.hashOf(first.state().sessionId());
            SessionIdHash h2 = SessionId.hashOf(second.state().sessionId());

            HttpResponse<String> r = revokeAlice(federation);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains(h1.hex(), h2.hex());

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(a.gateway().session(h1)).isEmpty();
                assertThat(b.gateway().session(h2)).isEmpty();
            });
            assertThatThrownBy(() -> first.access(atA)).isInstanceOf(BatonException.class)
                    .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.SESSION_EXPIRED))
                    .hasMessageContaining("revoked");
            assertThatThrownBy(() -> second.connect(atA)).isInstanceOf(BatonException.class)
                    .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.MIGRATION_REFUSED))
                    .hasMessageContaining("revoked");
        } finally {
            federation.stop();
        }
    }

    @Test
    void endOldestRevokesTheUsersSessionAtTheOtherGatewayThroughTheFederation() throws Exception {
        IfmapServer federation = federation(false);
        SessionLimit one = new SessionLimit(1, SessionLimit.Policy.END_OLDEST);
        try (GatewayNode a = node("gw-a", "pa", federation, one); GatewayNode b = node("gw-b", "pb", federation, one)) {
            HttpGatewayEndpoint atA = endpoint(a);
            HttpGatewayEndpoint atB = endpoint(b);
            Agent oldest = new Agent(null, Map.of());
            oldest.signIn(atA, "users", "alice", "pw");
            SessionIdHash h1 = SessionId.hashOf(oldest.state().sessionId());
            Agent newest = new Agent(null, Map.of());
            newest.signIn(atB, "users", "alice", "pw");

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(a.gateway().session(h1)).isEmpty());
            assertThatThrownBy(() -> oldest.access(atA)).isInstanceOf(BatonException.class)
                    .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.SESSION_EXPIRED));
            assertThat(newest.access(atB).gateway()).isEqualTo("gw-b");
        } finally {
            federation.stop();
        }
    }

    @Test
    void denyNewRefusesASecondSessionAtAnotherGateway() throws Exception {
        IfmapServer federation = federation(false);
        SessionLimit one = new SessionLimit(1, SessionLimit.Policy.DENY_NEW);
        try (GatewayNode a = node("gw-a", "pa", federation, one); GatewayNode b = node("gw-b", "pb", federation, one)) {
            Agent first = new Agent(null, Map.of());
            first.signIn(endpoint(a), "users", "alice", "pw");
            Agent second = new Agent(null, Map.of());
            assertThatThrownBy(() -> second.signIn(endpoint(b), "users", "alice", "pw")).isInstanceOf(BatonException.class)
                    .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.SESSION_LIMIT))
                    .hasMessageContaining("max-sessions-per-user 1");
            assertThat(first.access(endpoint(a)).gateway()).isEqualTo("gw-a");
        } finally {
            federation.stop();
        }
    }

    private IfmapServer federation(boolean admin) {
        IfmapServerConfig.Builder b = IfmapServer.builder().listen("127.0.0.1", 0)
                .users(BasicAuthUsers.of(Map.of("gw-a", "pa", "gw-b", "pb"))).gateways(List.of("gw-a", "gw-b"))
                .dataDirectory(dir.resolve("f")).inMemoryOnly();
        if (admin) {
            b.admin(new IfmapServerConfig.Admin("127.0.0.1", 0, Operators.of(Map.of("root", new Operator("root",
                    OperatorRole.ADMIN)), Map.of("root", Argon2id.hash("root-pw".toCharArray(), 1024, 1))),
                    new AuditLog("federation", InstantSource.system())));
        }
        return b.build().start();
    }

    private static HttpResponse<String> revokeAlice(IfmapServer federation) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("federation", federation.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(ssl).build();
        return http.send(HttpRequest.newBuilder(federation.adminUrl().orElseThrow().resolve("/api/admin/v1/users/alice/revoke"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("root:root-pw".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpGatewayEndpoint endpoint(GatewayNode node) {
        return new HttpGatewayEndpoint(node.url(), AgentTls.trustAll(), Duration.ofSeconds(20));
    }

    private GatewayNode node(String name, String password, IfmapServer federation, SessionLimit limit) {
        LocalAccounts accounts = new LocalAccounts(1024, 1).add("alice", "pw".toCharArray(), Map.of());
        GatewayConfig config = new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff"), accounts, limit)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of()));
        return GatewayNode.start(new GatewaySettings(config, new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                new GatewaySettings.Federation(federation.url(), name, password, true, Optional.empty(),
                        dev.baton.ifmap.FederationClientConfig.DEFAULT_POLL_COALESCE),
                new GatewaySettings.Storage("memory", "", "", "")), dir.resolve(name), Clock.systemUTC());
    }
}
