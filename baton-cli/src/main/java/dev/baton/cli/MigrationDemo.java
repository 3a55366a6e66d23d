package dev.baton.cli;

import dev.baton.agent.Agent;
import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.Role;
import dev.baton.core.SessionIdHash;
import dev.baton.core.SessionOptions;
import dev.baton.core.api.AccessResult;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.InMemoryFederation;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo story: an agent signs in at gateway A, moves to gateway B of the same authentication group
 * without credentials, A drops its copy, A refuses the old session, and gateway C of another group refuses
 * the migration. Every step is narrated. Time is a clock the demo moves by hand, so "two hours later" takes
 * no time.
 *
 * <p>The federation here is the in-process {@link InMemoryFederation}; the IF-MAP federation server takes
 * its place once it exists.
 */
final class MigrationDemo {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /** What the demo observed at each step, for tests. */
    record Outcome(AccessResult signedIn, AccessResult migrated, boolean aHeldAfterMigration, BatonException oldSessionAtA,
                   BatonException crossGroup, SessionIdHash hash) {
    }

    private final PrintWriter out;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    private final InstantSource clock = now::get;

    MigrationDemo(PrintWriter out) {
        this.out = out;
    }

    Outcome run() {
        ExecutorService notifier = Executors.newSingleThreadExecutor();
        InMemoryFederation federation = new InMemoryFederation(notifier);
        try (Gateway a = gateway("gateway-a", GatewayKind.REMOTE_ACCESS, "corp", Duration.ofHours(8), federation);
             Gateway b = gateway("gateway-b", GatewayKind.POLICY, "corp", Duration.ofHours(10), federation);
             Gateway c = gateway("gateway-c", GatewayKind.REMOTE_ACCESS, "partners", Duration.ofHours(8), federation)) {
            say("Federation: in-process (in-memory) federation; gateways %s and %s in authentication group 'corp', %s in 'partners'.",
                    a.name(), b.name(), c.name());
            Agent agent = new Agent(null, Map.of("antivirus", "running"));

            AccessResult signedIn = agent.signIn(a, "users", "alice", "correct horse battery staple");
            SessionIdHash hash = dev.baton.core.SessionId.hashOf(agent.state().sessionId());
            say("1. alice signs in at %s with her password. Session %s (the federation sees only its SHA-256 hash).",
                    a.name(), hash.abbreviated());
            holders(hash, a, b, c);
            say("   started %s, roles %s, deadline on %s %s.", time(signedIn.startTime()), signedIn.roles(), a.name(), time(signedIn.deadline()));

            now.set(now.get().plus(Duration.ofHours(2)));
            AccessResult migrated = agent.connect(b);
            say("2. Two hours later the agent connects to %s with the session id; no password asked: %s.", b.name(), migrated.outcome());
            say("   start time kept: %s; %s's maximum session length (10 h) counts from it and ends %s;",
                    time(migrated.startTime()), b.name(), time(migrated.startTime().plus(Duration.ofHours(10))));
            say("   %s is a policy gateway, so without heartbeats the session ends sooner: %s.", b.name(), time(migrated.deadline()));
            waitUntilDropped(a, hash);
            boolean aHeld = a.session(hash).isPresent();
            say("3. The federation told %s that %s took the session; %s dropped its copy.", a.name(), b.name(), a.name());
            holders(hash, a, b, c);

            BatonException oldAtA = attempt(() -> agent.access(a));
            say("4. The old session at %s is refused: %s", a.name(), oldAtA.getMessage());

            BatonException cross = attempt(() -> agent.connect(c));
            say("5. Connecting to %s (group 'partners') is refused: %s", c.name(), cross.getMessage());
            say("   %s still holds the session: %s.", b.name(), b.session(hash).isPresent() ? "yes" : "no");
            say("Done: exactly one gateway holds alice's session.");
            return new Outcome(signedIn, migrated, aHeld, oldAtA, cross, hash);
        } finally {
            notifier.shutdownNow();
        }
    }

    private Gateway gateway(String name, GatewayKind kind, String group, Duration maxLength, InMemoryFederation federation) {
        SessionOptions options = new SessionOptions(maxLength, Duration.ofHours(3), Duration.ofHours(3), false);
        LocalAccounts accounts = new LocalAccounts(19_456, 2)
                .add("alice", "correct horse battery staple".toCharArray(), Map.of("department", List.of("engineering")));
        Realm realm = Realm.simple("users", AuthServerKind.LOCAL, group, "staff");
        AccessPolicy access = new AccessPolicy(List.of(new Role("staff", options, List.of())), List.of());
        return new Gateway(new GatewayConfig(name, kind, true, List.of(new RealmBinding(realm, accounts)), access), federation, clock);
    }

    private void holders(SessionIdHash hash, Gateway... gateways) {
        StringBuilder sb = new StringBuilder("   who holds it:");
        for (Gateway g : gateways) {
            sb.append(' ').append(g.name()).append(g.session(hash).isPresent() ? "=yes" : "=no");
        }
        say("%s", sb);
    }

    private static void waitUntilDropped(Gateway a, SessionIdHash hash) {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (a.session(hash).isPresent() && System.nanoTime() < end) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
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
}
