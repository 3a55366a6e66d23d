package dev.baton.bench.store;

import dev.baton.store.CleanupProgress;
import dev.baton.store.CleanupReport;
import dev.baton.store.CleanupSettings;
import dev.baton.store.CleanupTask;
import dev.baton.store.SessionCodec;
import dev.baton.store.StoredSession;
import dev.baton.store.TimestampColumn;
import dev.baton.store.jdbc.JdbcSessionStore;
import dev.baton.store.jdbc.JdbcStoreConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cleanup task against many expired sessions among live ones: bulk-loaded with COPY (expired and live
 * rows interleaved, and expired rows inserted in the order they expired, as a table filled over a day is),
 * then one run at the default batch size while reader
 * threads keep loading live sessions from the store; their p99 is compared with an idle store's.
 */
final class CleanupBench {
    private final String url;
    private final JdbcStoreConfig config;
    private final int expired;
    private final int live;
    private final Duration readWindow;
    private final int readers;

    CleanupBench(String url, JdbcStoreConfig config, int expired, int live, Duration readWindow, int readers) {
        this.url = url;
        this.config = config;
        this.expired = expired;
        this.live = live;
        this.readWindow = readWindow;
        this.readers = readers;
    }

    void run() throws Exception {
        Instant now = InstantSource.system().instant();
        try (JdbcSessionStore store = JdbcSessionStore.open(config)) {
            long loadStart = System.nanoTime();
            List<StoredSession> liveSessions = bulkLoad(now);
            Bench.result("cleanup.bulk_load_seconds", (System.nanoTime() - loadStart) / 1e9);
            Bench.result("cleanup.expired_rows", expired);
            Bench.result("cleanup.live_rows", live);
            double idleP99 = readP99(store, liveSessions, null);
            CleanupTask task = new CleanupTask(store, store, CleanupSettings.DEFAULTS, "bench-console", InstantSource.system(),
                    new SimpleMeterRegistry());
            Bench.result("cleanup.dry_run_count", task.dryRunCount());
            CleanupReport[] report = new CleanupReport[1];
            double busyP99 = readP99(store, liveSessions, () -> report[0] = task.runOnce(CleanupProgress.NONE));
            double seconds = report[0].elapsed().toNanos() / 1e9;
            Bench.result("cleanup.deleted", report[0].deleted());
            Bench.result("cleanup.batches", report[0].batches());
            Bench.result("cleanup.batch_size", CleanupSettings.DEFAULTS.batchSize());
            Bench.result("cleanup.seconds", seconds);
            Bench.result("cleanup.deletions_per_second", report[0].deleted() / seconds);
            Bench.result("cleanup.read_p99_idle_ms", idleP99);
            Bench.result("cleanup.read_p99_during_cleanup_ms", busyP99);
            Bench.result("cleanup.read_p99_ratio_during_vs_idle", busyP99 / idleP99);
            Bench.result("cleanup.live_rows_left", liveLeft(store, now));
        }
    }

    private long liveLeft(JdbcSessionStore store, Instant now) {
        return store.countExpired(TimestampColumn.EXPIRY_TIME, now.plus(Duration.ofDays(1)))
                - store.countExpired(TimestampColumn.EXPIRY_TIME, now);
    }

    /** COPY in chunks; one live row after every {@code expired / live} expired rows. */
    private List<StoredSession> bulkLoad(Instant now) throws Exception {
        SessionCodec codec = SessionCodec.plain();
        List<StoredSession> liveSessions = new ArrayList<>(live);
        int total = expired + live;
        int every = Math.max(1, total / live);
        String table = config.tablePrefix() + "sessions";
        String copy = "COPY " + table + " (id_hash, user_name, realm, auth_group, owner_gateway, start_time, "
                + "last_activity_time, expiry_time, session_data) FROM STDIN";
        try (Connection c = DriverManager.getConnection(url)) {
            PGConnection pg = c.unwrap(PGConnection.class);
            StringBuilder chunk = new StringBuilder();
            // one encoded expired session, re-used with a fresh hash per row (a random id per row is not the point here)
            StoredSession template = BatonSubject.newSession("expired-user", "bench-gw", now.minus(Duration.ofDays(2)));
            String templateJson = codec.encode(template);
            int liveMade = 0;
            for (int i = 0; i < total; i++) {
                boolean isLive = liveMade < live && (i % every == 0 || total - i <= live - liveMade);
                if (isLive) {
                    liveSessions.add(liveRow(chunk, codec, now, i));
                    liveMade++;
                } else {
                    expiredRow(chunk, now, i, total, template.session().hash().hex(), templateJson);
                }
                if (chunk.length() > 8 << 20) {
                    pg.getCopyAPI().copyIn(copy, new StringReader(chunk.toString()));
                    chunk.setLength(0);
                }
            }
            pg.getCopyAPI().copyIn(copy, new StringReader(chunk.toString()));
            try (Statement st = c.createStatement()) {
                st.execute("VACUUM ANALYZE " + table);
            }
        }
        return liveSessions;
    }

    private static StoredSession liveRow(StringBuilder chunk, SessionCodec codec, Instant now, int i) {
        StoredSession s = BatonSubject.newSession("user" + (i % 50_000), "bench-gw", now.minus(Duration.ofMinutes(5)));
        s = new StoredSession(s.session(), now.plus(Duration.ofHours(1)));
        row(chunk, s.session().hash().hex(), s.session().user(), s.session().startTime().toEpochMilli(),
                s.expiryTime().toEpochMilli(), codec.encode(s));
        return s;
    }

    /** The table filled over a day: rows inserted earlier expired earlier, as in a real sessions table. */
    private static void expiredRow(StringBuilder chunk, Instant now, int i, int total, String templateHash,
                                   String templateJson) {
        Duration spread = Duration.ofHours(24);
        long expiry = now.minus(Duration.ofHours(2)).minus(spread.multipliedBy(total - i).dividedBy(total)).toEpochMilli();
        String hex = randomHex();
        row(chunk, hex, "user" + (i % 50_000), expiry - 3_600_000, expiry, templateJson.replace(templateHash, hex));
    }

    private static void row(StringBuilder sb, String hash, String user, long start, long expiry, String json) {
        // COPY text format: tab-separated; JSON from Jackson has no raw tabs, newlines or backslashes here
        sb.append(hash).append('\t').append(user).append("\tusers\tcorp\tbench-gw\t").append(start).append('\t')
                .append(start).append('\t').append(expiry).append('\t').append(json).append('\n');
    }

    private static String randomHex() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("%016x%016x%016x%016x", r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
    }

    /**
     * Readers load random live sessions from the store for the read window, or while {@code during} runs
     * (at least one read window); returns their p99 in milliseconds.
     */
    private double readP99(JdbcSessionStore store, List<StoredSession> liveSessions, Runnable during) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> samples = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            long[] mine = new long[2_000_000];
            samples.add(mine);
            threads.add(Thread.ofPlatform().start(() -> {
                int n = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get() && n < mine.length) {
                    StoredSession s = liveSessions.get(random.nextInt(liveSessions.size()));
                    long t0 = System.nanoTime();
                    if (store.load(s.session().hash()).isEmpty()) {
                        throw new IllegalStateException("a live session was deleted");
                    }
                    mine[n++] = System.nanoTime() - t0;
                    // a gateway reads the store on cache misses, not in a tight loop: pace at ~2,000/s per reader
                    java.util.concurrent.locks.LockSupport.parkNanos(500_000);
                }
                mine[mine.length - 1] = n; // count in the last slot
            }));
        }
        long end = System.nanoTime() + readWindow.toNanos();
        if (during != null) {
            during.run();
        }
        while (System.nanoTime() < end) {
            Thread.sleep(10);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        long[] all = samples.stream().flatMapToLong(a -> Arrays.stream(a, 0, (int) a[a.length - 1])).sorted().toArray();
        Bench.result("cleanup.reads_" + (during == null ? "idle" : "during_cleanup"), all.length);
        return Phase.percentile(all, 0.99);
    }
}
