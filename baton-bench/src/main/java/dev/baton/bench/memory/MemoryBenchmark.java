package dev.baton.bench.memory;

import dev.baton.bench.Benchmark;
import dev.baton.bench.FederationMemory;
import dev.baton.bench.Results;
import dev.baton.bench.RunMode;
import dev.baton.core.Session;
import dev.baton.store.StoredSession;
import dev.baton.store.jdbc.JdbcSessionStore;
import dev.baton.store.jdbc.JdbcStoreConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Memory per session (issue 18), measured as live heap after a full collection ({@link HeapProbe}) of a JVM that
 * holds nothing else of note, before and after it took N sessions ({@link SampleSessions}):
 *
 * <ul>
 *   <li>{@code store}: a gateway's memory tier ({@link MemoryChild} {@code tier}), filled by sign-ins;</li>
 *   <li>{@code federation}: Baton's federation server process and, from {@code IROND_HOME}, irond, filled by the
 *       publishes gateways make at sign-in ({@link FederationMemory});</li>
 *   <li>{@code restart}: a gateway with N sessions in an H2 store restarting with {@code store.preload} and serving
 *       its first resume ({@link MemoryChild} {@code restart}); its heap after the preload, per session.</li>
 * </ul>
 * N is 1,000,000 in a full run; with {@code --quick} 50,000 for the store and 20,000 for the others (publishing
 * and writing H2 take most of the time). {@code -Dbaton.bench.memory.only=store,restart} runs some parts only.
 * Not thread safe.
 */
public final class MemoryBenchmark implements Benchmark {
    static final String PEER = "irond";
    private static final int WARM_UP = 1_000;
    private static final int SHOWN_CLASSES = 8;
    /** System property naming the parts to run ({@code store}, {@code federation}, {@code restart}); default all. */
    static final String ONLY = "baton.bench.memory.only";

    private final String irondHome;
    private final Optional<Integer> sessions;
    private final String parts;

    /**
     * The benchmark as registered: irond from {@code IROND_HOME}, N from the run mode, the parts named by
     * {@value #ONLY} (all when unset).
     */
    public MemoryBenchmark() {
        this(System.getenv("IROND_HOME"), Optional.empty(), System.getProperty(ONLY, ""));
    }

    /**
     * With irond from {@code irondHome} (null: none), {@code sessions} instead of the mode's N, and only the
     * {@code parts} named ({@code store}, {@code federation}, {@code restart}, comma-separated; empty: all).
     */
    MemoryBenchmark(String irondHome, Optional<Integer> sessions, String parts) {
        this.irondHome = irondHome;
        this.sessions = sessions;
        this.parts = parts;
    }

    private boolean runs(String part) {
        return parts.isBlank() || java.util.Arrays.asList(parts.split(",")).contains(part);
    }

    @Override
    public boolean run(RunMode mode, Results results) throws Exception {
        boolean quick = mode == RunMode.QUICK;
        if (runs("store")) {
            int n = sessions.orElse(quick ? 50_000 : 1_000_000);
            results.figure("memory.store_sessions", n);
            double store = measureTier(n, results);
            results.note("goal: memory.store_bytes_per_session <= 1024 (" + (store <= 1024 ? "met" : "not met") + ")");
        }
        if (runs("federation")) {
            int n = sessions.orElse(quick ? 20_000 : 1_000_000);
            results.figure("memory.federation_sessions", n);
            measureFederation(n, results);
        }
        if (runs("restart")) {
            int n = sessions.orElse(quick ? 20_000 : 1_000_000);
            results.figure("memory.restart_sessions", n);
            measureRestart(n, results);
        }
        return true;
    }

    private static double measureTier(int n, Results results) throws Exception {
        try (ChildJvm child = ChildJvm.start("tier", Integer.toString(n))) {
            child.expect("READY");
            HeapProbe.Histogram before = HeapProbe.histogram(HeapProbe.jcmd(), child.pid(), 400);
            child.tell("fill");
            long held = Long.parseLong(child.expect("FILLED")[0]);
            HeapProbe.Histogram after = HeapProbe.histogram(HeapProbe.jcmd(), child.pid(), 40);
            if (held != n) {
                throw new IllegalStateException("the memory tier holds " + held + " sessions, not " + n);
            }
            double perSession = (double) (after.totalBytes() - before.totalBytes()) / n;
            results.figure("memory.store_bytes_per_session", perSession);
            results.note("store: live heap " + before.totalBytes() + " -> " + after.totalBytes() + " bytes; per session by class: "
                    + HeapProbe.growthPerSession(before, after, n, SHOWN_CLASSES));
            return perSession;
        }
    }

    private void measureFederation(int n, Results results) throws Exception {
        SampleSessions samples = new SampleSessions();
        Instant now = Instant.now();
        IntFunction<Session> sessionsOf = i -> samples.next(i, now).session();
        Optional<FederationMemory.Measured> baton = FederationMemory.baton(WARM_UP, n, sessionsOf, results::note);
        baton.ifPresent(m -> report(m, "memory.federation_bytes_per_session", results));
        if (baton.isEmpty()) {
            results.state("baton_process.federation", "absent");
        }
        Optional<FederationMemory.Measured> irond = FederationMemory.irond(irondHome, WARM_UP, n, sessionsOf, results::note);
        results.state("peer." + PEER, irond.isPresent() ? "present" : "absent");
        irond.ifPresent(m -> report(m, "irond.memory.federation_bytes_per_session", results));
        if (baton.isPresent() && irond.isPresent()) {
            results.ratio("federation_memory", PEER, baton.get().bytesPerSession(), irond.get().bytesPerSession());
            results.note("goal: ratio.federation_memory.baton_vs_irond <= 0.33");
        }
    }

    private static void report(FederationMemory.Measured m, String name, Results results) {
        results.figure(name, m.bytesPerSession());
        results.note(m.server() + ": live heap " + m.before().totalBytes() + " -> " + m.after().totalBytes()
                + " bytes; per session by class: " + HeapProbe.growthPerSession(m.before(), m.after(), m.sessions(), SHOWN_CLASSES));
    }

    private static void measureRestart(int n, Results results) throws Exception {
        Path dir = Files.createTempDirectory("baton-bench-memory-h2-");
        try {
            String url = "jdbc:h2:file:" + dir.resolve("sessions");
            long t0 = System.nanoTime();
            String[] hashes = fillStore(url, n);
            results.note("restart: " + n + " sessions written to H2 in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            try (ChildJvm child = ChildJvm.start("restart", url, hashes[0], hashes[1])) {
                restart(child, n, results);
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Restarts the gateway in {@code child} and measures it: times, then heap with the store open and closed. */
    private static void restart(ChildJvm child, int n, Results results) throws Exception {
        String[] lazy = child.expect("OPENED");
        results.figure("memory.restart_lazy_first_resume_ms", child.millisSinceStart());
        results.figure("memory.restart_lazy_first_lookup_ms", Double.parseDouble(lazy[0]));
        long paused = System.nanoTime();
        HeapProbe.Histogram before = HeapProbe.histogram(HeapProbe.jcmd(), child.pid(), 400);
        child.tell("preload");
        paused = System.nanoTime() - paused;
        String[] f = child.expect("RESTARTED");
        double firstResume = child.millisSinceStart() - paused / 1e6;
        results.figure("memory.restart_open_ms", Double.parseDouble(f[0]));
        results.figure("memory.restart_preload_ms", Double.parseDouble(f[1]));
        results.figure("memory.restart_first_lookup_ms", Double.parseDouble(f[2]));
        results.figure("memory.restart_first_resume_ms", firstResume);
        results.figure("memory.restart_preloaded", Long.parseLong(f[3]));
        HeapProbe.Histogram after = HeapProbe.histogram(HeapProbe.jcmd(), child.pid(), 40);
        results.figure("memory.restart_heap_bytes_per_session", (double) (after.totalBytes() - before.totalBytes()) / n);
        child.tell("close-store");
        child.expect("CLOSED");
        HeapProbe.Histogram tierOnly = HeapProbe.histogram(HeapProbe.jcmd(), child.pid(), 40);
        results.figure("memory.store_bytes_per_session_preloaded", (double) (tierOnly.totalBytes() - before.totalBytes()) / n);
        results.note("restart: live heap " + before.totalBytes() + " -> " + after.totalBytes() + " bytes with H2 open, "
                + tierOnly.totalBytes() + " with it closed; per session by class: "
                + HeapProbe.growthPerSession(before, tierOnly, n, SHOWN_CLASSES));
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Writes {@code n} sample sessions into the H2 store at {@code url}; returns two of their hashes, the one to
     * resume after the preload and the one to resume before it (lazily).
     */
    private static String[] fillStore(String url, int n) {
        SampleSessions samples = new SampleSessions();
        Instant now = Instant.now();
        String[] hashes = new String[2];
        try (JdbcSessionStore store = JdbcSessionStore.open(JdbcStoreConfig.of(url, "sa", ""))) {
            List<StoredSession> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                StoredSession s = samples.next(i, now);
                if (i == n / 2 || i == n / 3) {
                    hashes[i == n / 2 ? 0 : 1] = s.session().hash().hex();
                }
                batch.add(s);
                if (batch.size() == 1_000 || i == n - 1) {
                    store.writeAll(batch, List.of());
                    batch.clear();
                }
            }
        }
        return hashes;
    }
}
