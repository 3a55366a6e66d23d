package dev.baton.it;

import dev.baton.agent.AgentTls;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.gateway.LocalAccounts;
import dev.baton.ifmap.FederationClient;
import dev.baton.ifmap.FederationClientConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A federation server and gateways, each its own {@code baton} process on loopback, configured the way an
 * operator would: a users file for the federation server, one YAML file per gateway.
 */
final class Cluster implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple";
    private static final String HASH = new LocalAccounts(1024, 1).hash(PASSWORD.toCharArray());

    final Path dir;
    final int federationPort = BatonProcess.freePort();
    final Map<String, String> federationUsers = new LinkedHashMap<>();
    final Map<String, Integer> gatewayPorts = new LinkedHashMap<>();
    final Map<String, BatonProcess> gateways = new LinkedHashMap<>();
    private final List<BatonProcess> all = new ArrayList<>();
    BatonProcess federation;

    /** The federation user that only reads (an auditor), where a test names one. */
    static final String OBSERVER = "observer";

    Cluster(Path dir) {
        this.dir = dir;
    }

    /**
     * Starts the federation server with a user per gateway name; the policy makes each a gateway, except
     * {@value #OBSERVER}, an auditor that reads what the federation holds.
     */
    Cluster startFederation(String... gatewayNames) {
        StringBuilder users = new StringBuilder();
        StringBuilder policy = new StringBuilder("default-role: none\nclients:\n");
        for (String g : gatewayNames) {
            federationUsers.put(g, "pw-" + g + "-" + Long.toHexString(System.nanoTime()));
            users.append(g).append(':').append(federationUsers.get(g)).append('\n');
            policy.append("  ").append(g).append(": ").append(g.equals(OBSERVER) ? "auditor" : "gateway").append('\n');
        }
        write("federation-users", users.toString());
        write("federation-policy.yaml", policy.toString());
        federation = track(BatonProcess.start("federation", dir, "listening on", "federation",
                "--listen", "127.0.0.1:" + federationPort, "--basic-auth-users", "federation-users",
                "--policy", "federation-policy.yaml", "--data-dir", "federation-data"));
        return this;
    }

    /** The options of role {@code staff}, which every signed-in user gets, unless a test gives others. */
    static final String STAFF = "{ max-session-length: 8h, idle-timeout: 30m, heartbeat-timeout: 20m }";

    /** Writes the gateway's YAML and starts it (again, if it ran before: same port, same data). */
    BatonProcess startGateway(String name, String kind, String group) {
        return startGateway(name, kind, group, STAFF, null);
    }

    /**
     * Writes the gateway's YAML and starts it (again, if it ran before: same port, same data).
     *
     * @param staff the options of role {@code staff} as a YAML flow mapping, e.g. {@link #STAFF}
     * @param clock the simulated clock the gateway reads, or {@code null} for the system clock
     */
    BatonProcess startGateway(String name, String kind, String group, String staff, SimulatedClock clock) {
        return launch(name, gatewayBasics(name, kind) + """
                roles:
                  staff: %s
                realms:
                  - name: users
                    auth-group: %s
                    auth-server:
                      kind: local
                      accounts:
                        - { username: alice, password-hash: "%s", attributes: { department: engineering } }
                    role-mapping:
                      - { when: ["username=*"], roles: [staff] }
                """.formatted(staff, group, HASH), clock);
    }

    /**
     * Writes {@code yaml} as the gateway's configuration and starts it (again, if it ran before: same port, same
     * data); {@link #gatewayBasics} begins the YAML.
     */
    BatonProcess startGateway(String name, String yaml) {
        return launch(name, yaml, null);
    }

    /** As {@link #startGateway(String, String)}, on the simulated {@code clock} if not null. */
    BatonProcess startGateway(String name, String yaml, SimulatedClock clock) {
        return launch(name, yaml, clock);
    }

    /**
     * The first lines of a gateway's YAML, for tests that write the rest themselves (Host Checker policies,
     * roles, realms): its name and kind, a listen port of its own, this cluster's federation server, H2 storage.
     */
    String gatewayBasics(String name, String kind) {
        return gatewayBasics(name, kind, "{ type: h2 }");
    }

    /** As {@link #gatewayBasics(String, String)}, with the storage section given as a YAML flow mapping. */
    String gatewayBasics(String name, String kind, String storage) {
        int port = gatewayPorts.computeIfAbsent(name, n -> BatonProcess.freePort());
        return """
                name: %s
                kind: %s
                listen: 127.0.0.1:%d
                federation: { url: "https://127.0.0.1:%d", user: %s, password: "%s", trust-all: true }
                storage: %s
                """.formatted(name, kind, port, federationPort, name, federationUsers.get(name), storage);
    }

    /** Alice's local account as a YAML flow mapping, her password ({@link #PASSWORD}) hashed. */
    static String aliceAccount() {
        return account("alice");
    }

    /** A local account named {@code username} with password {@link #PASSWORD}, as a YAML flow mapping. */
    static String account(String username) {
        return "{ username: " + username + ", password-hash: \"" + HASH + "\" }";
    }

    /** Writes the gateway's YAML and starts it, logging at INFO, on the simulated {@code clock} if not null. */
    private BatonProcess launch(String name, String yaml, SimulatedClock clock) {
        write(name + ".yaml", yaml);
        List<String> args = new ArrayList<>(List.of("gateway", "--config", name + ".yaml", "--data-dir", name + "-data"));
        if (clock != null) {
            args.addAll(List.of("--simulated-clock-offset-file", clock.file().toString()));
        }
        // INFO: the gateways' logs tell sign-ins, migrations and expiries, which stories may check.
        BatonProcess p = track(BatonProcess.start(name, dir, Map.of("BATON_LOG_LEVEL", "INFO"), "listening on", args.toArray(String[]::new)));
        gateways.put(name, p);
        return p;
    }

    URI url(String gateway) {
        return URI.create("https://127.0.0.1:" + gatewayPorts.get(gateway));
    }

    HttpGatewayEndpoint endpoint(String gateway) {
        return endpoint(url(gateway));
    }

    static HttpGatewayEndpoint endpoint(URI url) {
        return new HttpGatewayEndpoint(url, AgentTls.trustAll(), Duration.ofSeconds(10));
    }

    /**
     * A client of the federation server as {@code user} (one of the names given to {@link #startFederation}),
     * for a test to read what the federation holds, such as who owns a session. The caller closes it.
     */
    FederationClient federationClient(String user) {
        return FederationClient.connect(FederationClientConfig.of(URI.create("https://127.0.0.1:" + federationPort),
                user, federationUsers.get(user), AgentTls.trustAll(), user));
    }

    private BatonProcess track(BatonProcess p) {
        all.add(p);
        return p;
    }

    private void write(String file, String text) {
        try {
            Files.writeString(dir.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).close();
        }
    }
}
