package dev.baton.bench.purge;

import dev.baton.testing.ThrowawaySlapd;

import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.store.StoredSession;
import dev.baton.store.TimestampColumn;
import dev.baton.store.ldap.DirectoryPurgeTask;
import dev.baton.store.ldap.LdapSessionStore;
import dev.baton.store.ldap.LdapStoreSettings;
import dev.baton.store.ldap.LdapTls;
import dev.baton.store.ldap.PurgeSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark of the LDAP store and its purge task on a throwaway OpenLDAP slapd (started and stopped here):
 * session writes per second, purge throughput with 1, 2 and 4 delete threads (no throttle), and throttle
 * accuracy (deletes per second against {@code maxUpdatesPerSecond} over 60 s, or 10 s with {@code --quick}).
 * Prints each figure as {@code RESULT name=value}.
 *
 * <p>Usage: {@code PurgeBenchmark [--quick] [--limit N]} (N deletes per second for the throttle run, default 200).
 */
public final class PurgeBenchmark {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int WRITERS = 4;

    private final boolean quick;
    private final int limit;

    private PurgeBenchmark(boolean quick, int limit) {
        this.quick = quick;
        this.limit = limit;
    }

    /** Runs the benchmark; exit status 0 on success, 1 with a one-line reason otherwise. */
    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        int limit = 200;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--limit")) {
                limit = Integer.parseInt(args[i + 1]);
            }
        }
        try {
            new PurgeBenchmark(quick, limit).run();
        } catch (RuntimeException | InterruptedException e) {
            System.err.println("ldap purge benchmark failed: " + e);
            System.exit(1);
        }
    }

    private void run() throws InterruptedException {
        try (ThrowawaySlapd slapd = ThrowawaySlapd.start(LdapSessionStore.class.getResource("/dev/baton/store/ldap/baton.schema"))) {
            result("ldap.slapd.pid", slapd.pid());
            measureWrites(slapd);
            for (int threads : new int[]{1, 2, 4}) {
                measurePurge(slapd, threads);
            }
            measureThrottle(slapd);
        }
    }

    private LdapSessionStore store(ThrowawaySlapd slapd, String base) {
        LdapStoreSettings settings = new LdapStoreSettings(List.of(new LdapStoreSettings.Server("127.0.0.1", slapd.port())),
                ThrowawaySlapd.ROOT_DN, ThrowawaySlapd.PASSWORD, "ou=" + base + "," + ThrowawaySlapd.SUFFIX, 8,
                Duration.ofSeconds(5), Duration.ofSeconds(30), LdapTls.none(), "");
        return LdapSessionStore.connect(settings);
    }

    private void measureWrites(ThrowawaySlapd slapd) throws InterruptedException {
        int n = quick ? 2000 : 10000;
        try (LdapSessionStore store = store(slapd, "writes")) {
            write(store, 200, Instant.now().plusSeconds(3600)); // warm-up: connections, JIT
            long start = System.nanoTime();
            write(store, n, Instant.now().plusSeconds(3600));
            double seconds = (System.nanoTime() - start) / 1e9;
            result("ldap.write.threads", WRITERS);
            result("ldap.write.sessions_per_second", n / seconds);
        }
    }

    private void measurePurge(ThrowawaySlapd slapd, int threads) throws InterruptedException {
        int n = quick ? 1000 : 5000;
        try (LdapSessionStore store = store(slapd, "purge-" + threads)) {
            write(store, n, Instant.now().minus(Duration.ofDays(1)));
            DirectoryPurgeTask.Pass pass;
            long start = System.nanoTime();
            try (DirectoryPurgeTask task = task(store, "bench-" + threads, 0, threads)) {
                pass = task.runOnce();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            check(pass.deleted() == n, "purge with " + threads + " threads deleted " + pass.deleted() + " of " + n);
            result("purge.threads_" + threads + ".deletes_per_second", n / seconds);
        }
    }

    /**
     * Deletes {@code limit x seconds} sessions with the throttle at {@code limit}/s over 2 delete threads. The
     * rate is taken between the first and the last delete (sampled from the task's deleted counter every
     * millisecond), so the backlog count that opens the pass does not dilute it.
     */
    private void measureThrottle(ThrowawaySlapd slapd) throws InterruptedException {
        int seconds = quick ? 10 : 60;
        int n = limit * seconds;
        try (LdapSessionStore store = store(slapd, "throttle")) {
            write(store, n, Instant.now().minus(Duration.ofDays(1)));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            DirectoryPurgeTask.Pass pass;
            long[] firstAndLast = new long[2];
            try (DirectoryPurgeTask task = task(store, "throttle", limit, 2, registry)) {
                Thread sampler = Thread.ofPlatform().daemon().start(() -> sample(registry, n, firstAndLast));
                pass = task.runOnce();
                sampler.join(5000);
            }
            check(pass.deleted() == n, "throttled purge deleted " + pass.deleted() + " of " + n);
            check(firstAndLast[0] != 0 && firstAndLast[1] != 0, "the deleted counter was not sampled");
            double elapsed = (firstAndLast[1] - firstAndLast[0]) / 1e9;
            double rate = (n - 1) / elapsed;
            result("purge.throttle_limit_per_second", limit);
            result("purge.throttle_delete_threads", 2);
            result("purge.throttle_seconds", elapsed);
            result("purge.throttle_measured_per_second", rate);
            result("purge.throttle_error_percent", Math.abs(rate - limit) / limit * 100);
        }
    }

    /** Records when the first and the {@code n}th delete were counted. */
    private static void sample(SimpleMeterRegistry registry, int n, long[] firstAndLast) {
        io.micrometer.core.instrument.Counter deleted = registry.get("baton.ldap.purge.deleted").counter();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            double count = deleted.count();
            if (firstAndLast[0] == 0 && count >= 1) {
                firstAndLast[0] = System.nanoTime();
            }
            if (count >= n) {
                firstAndLast[1] = System.nanoTime();
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    private static DirectoryPurgeTask task(LdapSessionStore store, String name, int limit, int threads) {
        return task(store, name, limit, threads, new SimpleMeterRegistry());
    }

    private static DirectoryPurgeTask task(LdapSessionStore store, String name, int limit, int threads,
                                           SimpleMeterRegistry registry) {
        PurgeSettings settings = new PurgeSettings(name, true, Duration.ofMinutes(10), Duration.ofSeconds(1), limit, 1,
                threads, TimestampColumn.EXPIRY_TIME, 500, 3, "bench", null);
        return new DirectoryPurgeTask(store, settings, InstantSource.system(), registry);
    }

    /** Stores {@code n} sessions expiring at {@code expiry} from {@value #WRITERS} threads. */
    private static void write(LdapSessionStore store, int n, Instant expiry) throws InterruptedException {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int count = n / WRITERS + (w < n % WRITERS ? 1 : 0);
                done.add(writers.submit(() -> {
                    for (int i = 0; i < count; i++) {
                        store.store(session(expiry));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("writing sessions failed: " + e.getCause(), e.getCause());
        } finally {
            writers.shutdownNow();
        }
    }

    private static StoredSession session(Instant expiry) {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        Instant start = expiry.minus(Duration.ofHours(8));
        Session s = new Session(new SessionIdHash(HexFormat.of().formatHex(id)), "user" + RANDOM.nextInt(100_000),
                "Users", new AuthGroup("corp"), AuthServerKind.LDAP, Set.of("staff"),
                Map.of("department", List.of("R&D")), start, start, start, "gw-bench", false, null);
        return new StoredSession(s, expiry);
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalStateException(problem);
        }
    }

    private static void result(String name, double value) {
        System.out.println("RESULT " + name + "=" + String.format(Locale.ROOT, "%.2f", value));
    }

    private static void result(String name, long value) {
        System.out.println("RESULT " + name + "=" + value);
    }
}
