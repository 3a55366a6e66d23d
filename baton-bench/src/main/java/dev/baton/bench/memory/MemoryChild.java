package dev.baton.bench.memory;

import dev.baton.core.SessionIdHash;
import dev.baton.store.SessionStore;
import dev.baton.store.StoredSession;
import dev.baton.store.TieredSessionStore;
import dev.baton.store.TieredStoreSettings;
import dev.baton.store.jdbc.JdbcSessionStore;
import dev.baton.store.jdbc.JdbcStoreConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The JVM whose heap {@link MemoryBenchmark} measures (with {@link HeapProbe}, from outside), driven by lines on
 * standard input and answering on standard output:
 *
 * <ul>
 *   <li>{@code MemoryChild tier N}: a gateway's tiered store ({@link TieredSessionStore}) in front of a store that
 *       keeps nothing ({@link DiscardingStore}), so only the memory tier holds sessions. Says {@code READY}; on
 *       {@code fill} puts N sessions of {@link SampleSessions} through {@link TieredSessionStore#put}, as sign-ins
 *       do, and says {@code FILLED N}.</li>
 *   <li>{@code MemoryChild restart JDBC_URL HASH LAZY_HASH}: a gateway restarting on the session store at JDBC_URL
 *       with {@code store.preload}: opens the store, looks session LAZY_HASH up as a gateway without preload
 *       does (a read of the store) and says {@code OPENED LAZY_MS}; on {@code preload} preloads this
 *       gateway's sessions, serves the look-up of session HASH, and says
 *       {@code RESTARTED OPEN_MS PRELOAD_MS LOOKUP_MS COUNT USER}. On
 *       {@code close-store} closes the store (H2 and its page cache, the pool), keeping the tier, and says
 *       {@code CLOSED}.</li>
 * </ul>
 * Either then waits for {@code quit} (or the end of its input) and exits. Not thread safe; one per process.
 */
public final class MemoryChild {
    private MemoryChild() {
    }

    /** Runs the child (see the class comment). */
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Object keep; // what the measured heap holds, reachable until the process ends
        if (args[0].equals("tier")) {
            keep = tier(Integer.parseInt(args[1]), in);
        } else if (args[0].equals("restart")) {
            keep = restart(args[1], SessionIdHash.parse(args[2]), SessionIdHash.parse(args[3]), in);
        } else {
            throw new IllegalArgumentException("usage: MemoryChild tier N | restart JDBC_URL HASH LAZY_HASH");
        }
        for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
            if (line.equals("close-store") && keep instanceof Restarted r) {
                r.store().close(); // the tier keeps its sessions; H2's page cache and the pool go
                System.out.println("CLOSED");
            } else {
                System.out.println("? " + line);
            }
            System.out.flush();
        }
        System.out.println("# kept " + keep.getClass().getSimpleName());
    }

    private static TieredSessionStore tier(int n, BufferedReader in) throws Exception {
        TieredSessionStore tier = new TieredSessionStore(new DiscardingStore(), TieredStoreSettings.DEFAULTS,
                SampleSessions.OWNER, InstantSource.system(), new SimpleMeterRegistry());
        SampleSessions sessions = new SampleSessions();
        System.out.println("READY");
        System.out.flush();
        if (!"fill".equals(in.readLine())) {
            throw new IllegalStateException("expected fill");
        }
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            tier.put(sessions.next(i, now));
        }
        if (!tier.awaitWritten(Duration.ofMinutes(1))) {
            throw new IllegalStateException("write queue did not drain");
        }
        System.out.println("FILLED " + tier.sessionsInMemory());
        System.out.flush();
        return tier;
    }

    /** A restarted gateway's tier and the store under it. */
    private record Restarted(TieredSessionStore tier, JdbcSessionStore store) {
    }

    private static Restarted restart(String url, SessionIdHash first, SessionIdHash lazy, BufferedReader in)
            throws Exception {
        long t0 = System.nanoTime();
        JdbcSessionStore store = JdbcSessionStore.open(JdbcStoreConfig.of(url, "sa", ""));
        TieredStoreSettings d = TieredStoreSettings.DEFAULTS;
        TieredStoreSettings preload = new TieredStoreSettings(d.activityWriteInterval(), d.maxQueuedWrites(),
                d.failClosed(), d.writeTimeout(), d.writeBatchSize(), d.writerThreads(), d.retryBackoff(), true);
        TieredSessionStore tier = new TieredSessionStore(store, preload, SampleSessions.OWNER, InstantSource.system(),
                new SimpleMeterRegistry());
        long t1 = System.nanoTime();
        tier.get(lazy).orElseThrow(() -> new IllegalStateException("session not resumed lazily"));
        System.out.println("OPENED " + ms(System.nanoTime() - t1));
        System.out.flush();
        if (!"preload".equals(in.readLine())) {
            throw new IllegalStateException("expected preload");
        }
        long t2 = System.nanoTime();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        tier.start(scheduler); // preloads, as a gateway's start does with store.preload
        long t3 = System.nanoTime();
        StoredSession resumed = tier.get(first).orElseThrow(() -> new IllegalStateException("session not resumed"));
        long t4 = System.nanoTime();
        System.out.println("RESTARTED " + ms(t1 - t0) + " " + ms(t3 - t2) + " " + ms(t4 - t3)
                + " " + tier.sessionsInMemory() + " " + resumed.session().user());
        System.out.flush();
        return new Restarted(tier, store);
    }

    private static String ms(long nanos) {
        return Double.toString(nanos / 1e6);
    }

    /** A store that keeps nothing: the tier's write-through costs no memory here, and no disk. */
    static final class DiscardingStore implements SessionStore {
        @Override
        public java.util.Optional<StoredSession> load(SessionIdHash hash) {
            return java.util.Optional.empty();
        }

        @Override
        public void store(StoredSession session) {
            // kept nowhere: only the memory tier is measured
        }

        @Override
        public boolean delete(SessionIdHash hash) {
            return false;
        }

        @Override
        public java.util.List<StoredSession> loadOwnedBy(String gateway, Instant now, int limit) {
            return java.util.List.of();
        }

        @Override
        public java.util.List<StoredSession> loadByUser(String user, Instant now, int limit) {
            return java.util.List.of();
        }

        @Override
        public dev.baton.store.ExpiredBatch deleteExpired(dev.baton.store.TimestampColumn column, Instant from,
                                                          Instant cutoff, int batchSize) {
            return new dev.baton.store.ExpiredBatch(0, from);
        }

        @Override
        public long countExpired(dev.baton.store.TimestampColumn column, Instant cutoff) {
            return 0;
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
