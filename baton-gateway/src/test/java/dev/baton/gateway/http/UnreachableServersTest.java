package dev.baton.gateway.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.ResultCode;
import dev.baton.core.Role;
import dev.baton.core.Session;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.gateway.Authenticator;
import dev.baton.gateway.Federation;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.auth.LdapAuthenticator;
import dev.baton.gateway.auth.LdapConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent, not signed in yet, is never told the addresses of the servers behind the gateway when one of them
 * is down: the reply gives a fixed reason, and the gateway's log has the detail.
 */
class UnreachableServersTest {
    static final String FEDERATION_URL = "https://fed.internal.example:8443";
    static int closedPort;
    static LdapAuthenticator ldap;
    static GatewayServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // nothing listens here once closed: connections are refused at once
        }
        ldap = new LdapAuthenticator(LdapConfig.ldap(List.of("127.0.0.1:" + closedPort), "cn=reader,dc=baton,dc=test",
                "reader-secret", "dc=baton,dc=test").withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(1)));
        GatewayConfig config = new GatewayConfig("gw-down", GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("directory", AuthServerKind.LDAP, "corp", "staff"), ldap)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of()));
        server = new GatewayServer(new Gateway(config, new UnreachableFederation(), Clock.systemUTC()),
                new InetSocketAddress("127.0.0.1", 0), null, null);
    }

    @AfterAll
    static void stop() {
        server.close();
        ldap.close();
    }

    @Test
    void aSignInWhileTheDirectoryIsDownNamesNoHostOrPortAndTheGatewayLogsThem() throws Exception {
        ListAppender<ILoggingEvent> log = capture(LdapAuthenticator.class);
        HttpResponse<String> r = post("/api/v1/sign-in", "{\"realm\":\"directory\",\"username\":\"alice\",\"password\":\"pw\",\"agentKey\":\""
                + dev.baton.core.ProofOfPossession.encode(dev.baton.core.ProofOfPossession.newKeyPair().getPublic()) + "\"}");

        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode body = GatewayServer.JSON.readTree(r.body());
        assertThat(body.path("code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(body.path("message").asText()).isEqualTo(Authenticator.UNAVAILABLE_REASON);
        assertThat(r.body()).doesNotContain("127.0.0.1").doesNotContain(String.valueOf(closedPort))
                .doesNotContainIgnoringCase("ldap").doesNotContain("dc=baton");
        assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("127.0.0.1:" + closedPort));
    }

    @Test
    void aConnectWhileTheFederationServerIsDownNamesNoUrlAndTheGatewayLogsIt() throws Exception {
        ListAppender<ILoggingEvent> log = capture(AgentErrors.class);
        String challenge = GatewayServer.JSON.readTree(post("/api/v1/challenge", "").body()).path("value").asText();
        HttpResponse<String> r = post("/api/v1/connect", "{\"sessionId\":\"" + SessionId.generate().reveal()
                + "\",\"challenge\":\"" + challenge + "\",\"signature\":\"AAAA\"}");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(GatewayServer.JSON.readTree(r.body()).path("message").asText()).isEqualTo(AgentErrors.UNAVAILABLE);
        assertThat(r.body()).doesNotContain("fed.internal").doesNotContain("8443");
        assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("/api/v1/connect")
                .contains(FEDERATION_URL));
    }

    @Test
    void failuresTheRequestCausedAreStillToldAsTheyAre() throws Exception {
        HttpResponse<String> r = post("/api/v1/sign-in", "{\"realm\":\"elsewhere\",\"username\":\"alice\",\"password\":\"pw\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(GatewayServer.JSON.readTree(r.body()).path("message").asText()).contains("no realm named 'elsewhere'");
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ListAppender<ILoggingEvent> capture(Class<?> source) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(source)).addAppender(appender);
        return appender;
    }

    /** A federation server that cannot be reached, failing as the IF-MAP client does: with its URL in the message. */
    static final class UnreachableFederation implements Federation {
        private static BatonException down() {
            return new BatonException(ResultCode.UNAVAILABLE, "federation server " + FEDERATION_URL
                    + " unreachable: java.net.ConnectException: Connection refused");
        }

        @Override
        public void publish(Session session, Set<String> capabilities) {
            throw down();
        }

        @Override
        public Optional<Published> lookup(SessionIdHash hash) {
            throw down();
        }

        @Override
        public java.util.List<Published> sessionsOf(String user) {
            throw down();
        }

        @Override
        public void revokeForLimit(SessionIdHash hash, String gateway) {
            throw down();
        }

        @Override
        public void claim(Published seen, Session claimed, Set<String> capabilities) {
            throw down();
        }

        @Override
        public boolean owns(SessionIdHash hash, String gateway) {
            throw down();
        }

        @Override
        public void withdraw(SessionIdHash hash, String gateway) {
            throw down();
        }

        @Override
        public AutoCloseable subscribe(String gateway, OwnershipListener listener) {
            return () -> { };
        }
    }
}
