package dev.baton.cli;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentTls;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.Role;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.core.SessionOptions;
import dev.baton.core.api.AccessResult;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.config.GatewaySettings;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The demo story on embedded defaults: an IF-MAP federation server and three gateways start on loopback,
 * each gateway with its own embedded H2 session store and HTTPS agent API; an agent signs in at gateway A,
 * moves to gateway B of the same authentication group without credentials (proving possession of its key),
 * A hears of it from the federation server and drops its copy, A refuses the old session, a stolen id
 * without the key is refused, and gateway C of another group refuses the migration. Every step is
 * narrated. The gateways' clock is moved by hand, so "two hours later" takes no time.
 */
final class MigrationDemo {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    static final String PASSWORD = "correct horse battery staple";

    /** What the demo observed at each step, for tests. */
    record Outcome(AccessResult signedIn, AccessResult migrated, boolean aHeldAfterMigration, BatonException oldSessionAtA,
                   BatonException stolenId, BatonException crossGroup, SessionIdHash hash, String federationOwner) {
    }

    private final PrintWriter out;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final InstantSource clock = now::get;

    MigrationDemo(PrintWriter out) {
        this.out = out;
    }

    Outcome run() {
        Path dir = tempDir();
        Map<String, String> users = new HashMap<>();
        for (String g : List.of("gateway-a", "gateway-b", "gateway-c")) {
            users.put(g, SessionId.generate().reveal());
        }
        IfmapServer federation = IfmapServer.builder().listen("127.0.0.1", 0).users(BasicAuthUsers.of(users))
                .gateways(users.keySet()).dataDirectory(dir.resolve("federation")).build().start();
        try (GatewayNode a = node("gateway-a", GatewayKind.REMOTE_ACCESS, "corp", Duration.ofHours(8), federation, users, dir);
             GatewayNode b = node("gateway-b", GatewayKind.POLICY, "corp", Duration.ofHours(10), federation, users, dir);
             GatewayNode c = node("gateway-c", GatewayKind.REMOTE_ACCESS, "partners", Duration.ofHours(8), federation, users, dir)) {
            say("Started an IF-MAP 2.x federation server at %s (self-signed certificate, H2 for forever data),", federation.url());
            say("and three gateways, each with an HTTPS agent API and an embedded H2 session store:");
            say("  %s (remote access) and %s (policy) in authentication group 'corp', %s in 'partners'.",
                    "gateway-a " + a.url(), "gateway-b " + b.url(), "gateway-c " + c.url());
            Agent agent = new Agent(dir.resolve("agent.state"), Map.of("antivirus", "running"));
            Migrated first = signInAndMigrate(agent, a, b, c);
            return refusals(agent, dir, first, a, b, c);
        } finally {
            federation.stop();
            delete(dir);
        }
    }

    /** Steps 1 to 3: what the story has shown by the time the session moved. */
    private record Migrated(AccessResult signedIn, AccessResult migrated, boolean aHeld, SessionIdHash hash,
                            String owner) {
    }

    private Migrated signInAndMigrate(Agent agent, GatewayNode a, GatewayNode b, GatewayNode c) {
        AccessResult signedIn = agent.signIn(endpoint(a), "users", "alice", PASSWORD);
        SessionIdHash hash = SessionId.hashOf(agent.state().sessionId());
        say("1. alice signs in at gateway-a with her password; the agent binds the session to a new Ed25519 key.");
        say("   Session %s: the federation server and the stores see only this SHA-256 hash.", hash.abbreviated());
        say("   started %s, roles %s, deadline on gateway-a %s.", time(signedIn.startTime()), signedIn.roles(), time(signedIn.deadline()));
        holders(hash, a, b, c);

        now.set(now.get().plus(Duration.ofHours(2)));
        AccessResult migrated = agent.connect(endpoint(b));
        say("2. Two hours later the agent connects to gateway-b with the session id and signs gateway-b's challenge");
        say("   with its key; no password asked: %s. gateway-b claimed the session in the federation server.", migrated.outcome());
        say("   start time kept: %s; gateway-b's maximum session length (10 h) counts from it and ends %s;",
                time(migrated.startTime()), time(migrated.startTime().plus(Duration.ofHours(10))));
        say("   gateway-b is a policy gateway, so without heartbeats the session ends sooner: %s.", time(migrated.deadline()));
        boolean aHeld = waitUntilDropped(a, hash);
        String owner = b.gateway().session(hash).map(s -> s.owner()).orElse("nobody");
        say("3. gateway-a's poll on the federation server reported that another gateway took the session;");
        say("   gateway-a dropped its copy and its published data.");
        holders(hash, a, b, c);
        return new Migrated(signedIn, migrated, aHeld, hash, owner);
    }

    private Outcome refusals(Agent agent, Path dir, Migrated m, GatewayNode a, GatewayNode b, GatewayNode c) {
        BatonException oldAtA = attempt(() -> agent.access(endpoint(a)));
        say("4. The old session at gateway-a is refused: %s", oldAtA.getMessage());

        BatonException stolenId = attempt(() -> withStolenId(dir, agent.state().sessionId()).connect(endpoint(b)));
        say("5. Someone who copied the session id but not the key tries gateway-b: %s", stolenId.getMessage());

        BatonException cross = attempt(() -> agent.connect(endpoint(c)));
        say("6. Connecting to gateway-c (group 'partners') is refused: %s", cross.getMessage());
        say("   gateway-b still holds the session: %s.", b.gateway().session(m.hash()).isPresent() ? "yes" : "no");
        say("Done: exactly one gateway holds alice's session.");
        return new Outcome(m.signedIn(), m.migrated(), m.aHeld(), oldAtA, stolenId, cross, m.hash(), m.owner());
    }

    private GatewayNode node(String name, GatewayKind kind, String group, Duration maxLength, IfmapServer federation,
                             Map<String, String> users, Path dir) {
        SessionOptions options = new SessionOptions(maxLength, Duration.ofHours(3), Duration.ofHours(3), false);
        LocalAccounts accounts = new LocalAccounts(19_456, 2)
                .add("alice", PASSWORD.toCharArray(), Map.of("department", List.of("engineering")));
        Realm realm = Realm.simple("users", AuthServerKind.LOCAL, group, "staff");
        AccessPolicy access = new AccessPolicy(List.of(new Role("staff", options, List.of())), List.of());
        GatewayConfig config = new GatewayConfig(name, kind, true, List.of(new RealmBinding(realm, accounts)), access);
        GatewaySettings settings = new GatewaySettings(config, new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                new GatewaySettings.Federation(federation.url(), name, users.get(name), true, Optional.empty(),
                        dev.baton.ifmap.FederationClientConfig.DEFAULT_POLL_COALESCE),
                new GatewaySettings.Storage("h2", "", "", ""));
        return GatewayNode.start(settings, dir.resolve(name), clock);
    }

    /** An agent holding a copied session id but a key of its own, as a thief would. */
    private static Agent withStolenId(Path dir, String sessionId) {
        Path file = dir.resolve("stolen.state");
        Agent own = new Agent(file, Map.of());
        new dev.baton.agent.AgentState(sessionId, null, own.state().publicKey(),
                dev.baton.core.ProofOfPossession.encode(dev.baton.core.ProofOfPossession.newKeyPair().getPrivate())).save(file);
        return new Agent(file, Map.of());
    }

    private static HttpGatewayEndpoint endpoint(GatewayNode node) {
        // The gateways' certificates are self-signed and generated on first start, on loopback: trust them as they are.
        return new HttpGatewayEndpoint(node.url(), AgentTls.trustAll(), Duration.ofSeconds(10));
    }

    private void holders(SessionIdHash hash, GatewayNode... nodes) {
        StringBuilder sb = new StringBuilder("   who holds it:");
        for (GatewayNode n : nodes) {
            sb.append(' ').append(n.gateway().name()).append(n.gateway().session(hash).isPresent() ? "=yes" : "=no");
        }
        say("%s", sb);
    }

    private static boolean waitUntilDropped(GatewayNode a, SessionIdHash hash) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (a.gateway().session(hash).isPresent() && System.nanoTime() < end) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return a.gateway().session(hash).isPresent();
    }

    private static BatonException attempt(Runnable r) {
        try {
            r.run();
        } catch (BatonException e) {
            return e;
        }
        throw new IllegalStateException("the demo expected a refusal here");
    }

    private static String time(Instant t) {
        return TIME.format(t) + " UTC";
    }

    private void say(String format, Object... args) {
        out.println(String.format(format, args));
        out.flush();
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("baton-demo");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
