package dev.baton.bench.security;

import dev.baton.agent.AgentTls;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.Role;
import dev.baton.core.SessionId;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.IfmapFederation;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.admission.AdmissionSettings;
import dev.baton.gateway.http.GatewayServer;
import dev.baton.ifmap.FederationClient;
import dev.baton.ifmap.FederationClientConfig;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.http.tls.SelfSignedCertificate;
import dev.baton.store.MemorySessionStore;
import dev.baton.store.TieredStoreSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the security benchmarks run against, in one process on loopback: a federation server whose policy makes
 * the gateways gateways, and HTTPS gateways with default admission control. Closes everything it opened.
 */
final class SecurityRig implements AutoCloseable {
    static final String PASSWORD = "bench-password";
    /** A running gateway's clock: past the 30 s after start in which agent-made challenges are refused. */
    static final InstantSource STEADY = () -> Clock.systemUTC().instant().plusSeconds(31);

    final IfmapServer federation;
    private final Map<String, String> users = new HashMap<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Path dir;

    SecurityRig(Path dir, String... gateways) {
        this.dir = dir;
        for (String g : gateways) {
            users.put(g, SessionId.generate().reveal());
        }
        federation = IfmapServer.builder().listen("127.0.0.1", 0).users(BasicAuthUsers.of(users)).gateways(users.keySet())
                .dataDirectory(dir.resolve("federation")).inMemoryOnly().build().start();
    }

    /** Starts gateway {@code name} over HTTPS; its accounts alice and user0..user49 are hashed at {@code accounts}' cost. */
    URI gateway(String name, LocalAccounts accounts) {
        accounts.add("alice", PASSWORD.toCharArray(), Map.of());
        GatewayConfig config = new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff"), accounts)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of()), GatewayConfig.DEFAULT_HOST_CHECK_TIMEOUT,
                AdmissionSettings.DEFAULTS);
        FederationClient client = FederationClient.connect(FederationClientConfig.of(URI.create(federation.url()), name,
                users.get(name), AgentTls.trustAll(), name));
        IfmapFederation fed = new IfmapFederation(client, name);
        open.add(fed);
        Gateway gateway = new Gateway(config, fed, STEADY, new MemorySessionStore(), TieredStoreSettings.DEFAULTS,
                new SimpleMeterRegistry());
        open.add(gateway);
        char[] pw = "bench".toCharArray();
        GatewayServer server = new GatewayServer(gateway, new InetSocketAddress("127.0.0.1", 0),
                SelfSignedCertificate.loadOrCreate(dir.resolve(name + ".p12"), pw, "127.0.0.1"), pw);
        open.add(server);
        return URI.create("https://127.0.0.1:" + server.port());
    }

    static HttpGatewayEndpoint endpoint(URI uri) {
        return new HttpGatewayEndpoint(uri, AgentTls.trustAll(), Duration.ofSeconds(30));
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        federation.stop();
    }
}
