package dev.baton.cli;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentTls;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.Role;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.admission.AdmissionSettings;
import dev.baton.gateway.config.GatewaySettings;
import dev.baton.ifmap.FederationClientConfig;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.ifmap.server.PublisherRights;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the attack tests (the {@code *AttackTest} classes) run against: a federation server with a policy (gw-a and
 * gw-b are gateways, "sensor" a standard IF-MAP publisher), and gateways over HTTPS with H2 session storage, as an
 * operator would run them. Each test gets its own rig in its own folder.
 */
final class AttackRig implements AutoCloseable {
    static final String PASSWORD = "correct horse";
    static final Map<String, String> FEDERATION_USERS = Map.of("gw-a", "pw-a-0123456789", "gw-b", "pw-b-0123456789",
            "sensor", "pw-sensor-0123456789");

    final Path dir;
    final IfmapServer federation;
    final Map<String, GatewayNode> gateways = new LinkedHashMap<>();
    private final InstantSource clock;

    AttackRig(Path dir) {
        this(dir, Clock.systemUTC());
    }

    AttackRig(Path dir, InstantSource clock) {
        this.dir = dir;
        this.clock = clock;
        this.federation = IfmapServer.builder().listen("127.0.0.1", 0).users(BasicAuthUsers.of(FEDERATION_USERS))
                .rights("gw-a", PublisherRights.GATEWAY).rights("gw-b", PublisherRights.GATEWAY)
                .dataDirectory(dir.resolve("federation")).inMemoryOnly().build().start();
    }

    /** Starts (or restarts, on the same port and data) gateway {@code name} with fast-to-test password hashes. */
    GatewayNode gateway(String name) {
        return gateway(name, new LocalAccounts(1024, 1), AdmissionSettings.DEFAULTS, 0);
    }

    GatewayNode gateway(String name, LocalAccounts accounts, AdmissionSettings admission, int port) {
        accounts.add("alice", PASSWORD.toCharArray(), Map.of()).add("bob", PASSWORD.toCharArray(), Map.of());
        GatewayConfig config = new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff"), accounts)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of()), GatewayConfig.DEFAULT_HOST_CHECK_TIMEOUT, admission);
        GatewayNode node = GatewayNode.start(new GatewaySettings(config, new InetSocketAddress("127.0.0.1", port), Optional.empty(),
                new GatewaySettings.Federation(federation.url(), name, FEDERATION_USERS.get(name), true, Optional.empty(),
                        FederationClientConfig.DEFAULT_POLL_COALESCE),
                new GatewaySettings.Storage("h2", "", "", "")), dir.resolve(name), clock);
        gateways.put(name, node);
        return node;
    }

    /** Stops gateway {@code name} (its sessions stay in its H2 store). */
    int stop(String name) {
        GatewayNode node = gateways.remove(name);
        int port = node.port();
        node.close();
        return port;
    }

    static HttpGatewayEndpoint endpoint(GatewayNode node) {
        return new HttpGatewayEndpoint(node.url(), AgentTls.trustAll(), Duration.ofSeconds(30));
    }

    /** An agent signed in as alice at {@code node}. */
    Agent signedIn(GatewayNode node) {
        Agent agent = new Agent(null, Map.of(), clock);
        agent.signIn(endpoint(node), "users", "alice", PASSWORD);
        return agent;
    }

    /** An HTTP client trusting any certificate (the gateways' are self-signed), as an attacker's script would be. */
    static HttpClient http() {
        return HttpClient.newBuilder().sslContext(AgentTls.trustAll()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** POSTs {@code body} to {@code path} of {@code node} with {@code headers} (name, value, ...). */
    static HttpResponse<String> post(HttpClient http, GatewayNode node, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A challenge {@code node} issues, fetched over HTTP as an attacker's script would. */
    static String challenge(HttpClient http, GatewayNode node) throws Exception {
        return post(http, node, "/api/v1/challenge", "").body().replaceAll(".*\"value\":\"([^\"]+)\".*", "$1");
    }

    @Override
    public void close() {
        gateways.values().forEach(GatewayNode::close);
        federation.stop();
    }
}
