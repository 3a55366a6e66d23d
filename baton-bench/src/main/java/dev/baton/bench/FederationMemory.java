package dev.baton.bench;

import dev.baton.agent.AgentTls;
import dev.baton.bench.memory.HeapProbe;
import dev.baton.core.Session;
import dev.baton.ifmap.GatewayPublishes;
import dev.baton.ifmap.client.IfmapClient;
import dev.baton.ifmap.client.Publish;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The live heap an IF-MAP federation server spends per published session: the server runs as a child process,
 * the benchmark publishes sessions into it over HTTPS exactly as gateways publish them at sign-in
 * ({@link GatewayPublishes}, 100 sessions per publish request), and {@link HeapProbe} takes the server's live heap
 * (after a full collection) before and after. A warm-up of sessions goes in before the first measurement, so
 * what the first publishes load (classes' static data, caches, the connection) is in both.
 *
 * <p>Baton's server runs as users run it ({@code java -jar baton.jar federation}, see {@link BatonProcess}: H2 on
 * disk for forever metadata, which session data is), its policy naming the benchmark's publisher a gateway;
 * irond runs from {@code IROND_HOME} as the {@code ifmap} benchmark runs it ({@link IrondPeer}). Not thread safe.
 */
public final class FederationMemory {
    static final int PER_REQUEST = 100;
    private static final String POLICY = "default-role: publisher\nclients: {" + FederationUnderTest.PUBLISHER.user()
            + ": gateway}\n";

    private FederationMemory() {
    }

    /**
     * What one server holds: live bytes before and after the sessions were published, and where they went.
     *
     * @param sessions how many sessions were measured (the warm-up not counted)
     */
    public record Measured(String server, long sessions, HeapProbe.Histogram before, HeapProbe.Histogram after) {
        /** Live heap per session, in bytes. */
        public double bytesPerSession() {
            return (double) (after.totalBytes() - before.totalBytes()) / sessions;
        }
    }

    /**
     * Measures Baton's federation server process with {@code warmUp} then {@code n} sessions from {@code sessions};
     * empty (the reason told to {@code note}) when there is no built {@code baton.jar}.
     */
    public static Optional<Measured> baton(int warmUp, int n, IntFunction<Session> sessions, Consumer<String> note)
            throws Exception {
        Optional<Path> jar = BatonProcess.cliJar();
        if (jar.isEmpty()) {
            note.accept("baton federation: no built baton-cli/target/baton.jar (build it with baton-cli)");
            return Optional.empty();
        }
        Path workDir = Files.createTempDirectory("baton-bench-memory-federation-");
        try {
            Path users = Files.writeString(workDir.resolve("users.txt"), FederationUnderTest.PUBLISHER.user() + ":"
                    + FederationUnderTest.PUBLISHER.password() + "\n");
            Path policy = Files.writeString(workDir.resolve("policy.yaml"), POLICY);
            int port = ChildServer.freeLoopbackPort();
            var command = BatonProcess.command(jar.get(), port, users, workDir.resolve("data"), policy);
            try (ChildServer server = ChildServer.start("baton-federation", command, workDir, port)) {
                return Optional.of(measure("baton", server.url(), server.pid(), HeapProbe.jcmd(), warmUp, n, sessions, note));
            }
        } finally {
            IrondHome.deleteTree(workDir);
        }
    }

    /**
     * Measures irond from {@code irondHome} the same way; empty (the reason told to {@code note}) when
     * {@code IROND_HOME} names no usable irond.
     */
    public static Optional<Measured> irond(String irondHome, int warmUp, int n, IntFunction<Session> sessions,
                                           Consumer<String> note) throws Exception {
        Optional<IrondHome> home = IrondHome.of(irondHome, reason -> note.accept("irond: " + reason));
        if (home.isEmpty()) {
            return Optional.empty();
        }
        String javaHome = System.getenv("IROND_JAVA_HOME");
        Path jcmd = javaHome == null || javaHome.isBlank() ? HeapProbe.jcmd() : HeapProbe.jcmdOf(javaHome);
        try (IrondPeer irond = IrondPeer.start(home.get())) {
            return Optional.of(measure("irond", irond.endpoint().url(), irond.pid(), jcmd, warmUp, n, sessions, note));
        }
    }

    private static Measured measure(String name, String url, long pid, Path jcmd, int warmUp, int n,
                                    IntFunction<Session> sessions, Consumer<String> note) throws Exception {
        var publisher = FederationUnderTest.PUBLISHER;
        try (IfmapClient client = new IfmapClient(URI.create(url), publisher.user(), publisher.password(),
                AgentTls.trustAll(), Duration.ofMinutes(2), Duration.ofMinutes(3))) {
            client.newSession(0);
            publish(client, 0, warmUp, sessions);
            HeapProbe.Histogram before = HeapProbe.histogram(jcmd, pid, 400);
            long t0 = System.nanoTime();
            publish(client, warmUp, warmUp + n, sessions);
            note.accept(name + ": published " + n + " sessions in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            HeapProbe.Histogram after = HeapProbe.histogram(jcmd, pid, 40);
            return new Measured(name, n, before, after);
        }
    }

    /** Publishes sessions {@code from} (inclusive) to {@code to}, {@value #PER_REQUEST} per request. */
    private static void publish(IfmapClient client, int from, int to, IntFunction<Session> sessions) {
        Set<String> capabilities = Set.of("remote-access");
        for (int i = from; i < to; i += PER_REQUEST) {
            Publish batch = new Publish();
            for (int j = i; j < Math.min(to, i + PER_REQUEST); j++) {
                batch.append(GatewayPublishes.signIn(sessions.apply(j), FederationUnderTest.PUBLISHER.user(), capabilities));
            }
            client.publish(batch);
        }
    }
}
