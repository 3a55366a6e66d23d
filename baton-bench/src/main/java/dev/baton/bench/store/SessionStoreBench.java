package dev.baton.bench.store;

import dev.baton.store.jdbc.JdbcStoreConfig;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Session store benchmark: Baton's tiered store against Spring Session JDBC on the same PostgreSQL in the same
 * run (create, read, touch, delete with N threads), then the cleanup task on many expired sessions among live
 * ones. Usage: {@code SessionStoreBench [--quick] [--threads N] [--cleanup-only | --store-only]}; PostgreSQL from {@code BATON_PG_URL}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}). Tables get a random prefix and are
 * dropped at the end.
 *
 * <p>{@code ratio.write} is the write path of a whole session's life (sign-in, ten requests, sign-out) from the
 * measured rates; {@code ratio.write_through} counts sign-ins and sign-outs only; {@code touch} touches each
 * session once per flush (no coalescing possible), {@code touch_coalesced} ten times. Create and delete are durable in both stores when the call returns. A Baton touch changes
 * memory and is written by the next activity flush; the touch phase ends with that flush and waits for it,
 * so its time includes the writes. Spring Session writes every touch ({@code SessionRepositoryFilter}'s
 * find-then-save).
 */
public final class SessionStoreBench {
    /** Connections per store at most, whatever the thread count (both are open at once; PostgreSQL's default limit is 100). */
    private static final int MAX_POOL = 16;
    /** Requests per session in the write-path mix: a short session of a browser or agent. */
    private static final int TOUCHES_PER_SESSION = 10;

    private SessionStoreBench() {
    }

    /** Entry point; prints RESULT lines on standard output. */
    public static void main(String[] args) throws Exception {
        boolean quick = java.util.Arrays.asList(args).contains("--quick");
        int threads = intArg(args, "--threads", quick ? 16 : 32);
        int perThread = quick ? 400 : 2_000;
        String url = System.getenv().getOrDefault("BATON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String prefix = "bench" + HexFormat.of().formatHex(randomBytes()) + "_";
        JdbcStoreConfig config = JdbcStoreConfig.of(url, "", "").withTablePrefix(prefix);
        Bench.result("threads", threads);
        Bench.result("pool_size", Math.min(threads, MAX_POOL));
        Bench.result("sessions_per_thread", perThread);
        try {
            if (!java.util.Arrays.asList(args).contains("--cleanup-only")) {
                compare(url, config, prefix, threads, perThread);
            }
            if (!java.util.Arrays.asList(args).contains("--store-only")) {
                new CleanupBench(url, config.withTablePrefix(prefix + "c_"), quick ? 50_000 : 1_000_000,
                        quick ? 5_000 : 100_000, Duration.ofSeconds(quick ? 1 : 5), 4).run();
            }
        } finally {
            dropAll(url, prefix);
        }
    }

    private static void compare(String url, JdbcStoreConfig config, String prefix, int threads, int perThread) throws Exception {
        int poolSize = Math.min(threads, MAX_POOL);
        Map<String, Phase.Result> b = new LinkedHashMap<>();
        Map<String, Phase.Result> s = new LinkedHashMap<>();
        try (BatonSubject baton = new BatonSubject(config.withPoolSize(poolSize), threads, perThread);
             SpringSessionSubject spring = new SpringSessionSubject(url, prefix + "spring_session", poolSize, threads, perThread)) {
            warmUp(baton, threads, Math.min(perThread / 2, 400));
            warmUp(spring, threads, Math.min(perThread / 2, 400));
            // phase by phase, Baton then Spring Session, so drifting machine load hits both alike
            int hot = Math.max(1, perThread / TOUCHES_PER_SESSION);
            for (String op : new String[] {"create", "read", "read_store", "touch", "touch_coalesced", "delete"}) {
                for (Subject subject : new Subject[] {baton, spring}) {
                    Map<String, Phase.Result> into = subject == baton ? b : s;
                    Phase.Op run = switch (op) {
                        case "create" -> subject::create;
                        case "read" -> subject::read;
                        case "read_store" -> subject == baton ? baton::readFromStore : subject::read;
                        case "touch" -> subject::touch;
                        // each of the first perThread/10 sessions touched 10 times, spread over the phase
                        case "touch_coalesced" -> (t, i) -> subject.touch(t, i % hot);
                        default -> subject::delete;
                    };
                    into.put(op, Phase.run(threads, perThread, run, subject::settle));
                }
            }
        }
        for (String op : b.keySet()) {
            report(op, "baton", b.get(op));
            report(op, "spring_session", s.get(op));
            Bench.result("ratio." + op + ".baton_vs_spring_session", b.get(op).opsPerSecond() / s.get(op).opsPerSecond());
        }
        // write-through only: sign-ins and sign-outs, each durable when the call returns
        Bench.result("write_through.baton.ops_per_second", writeThroughRate(b));
        Bench.result("write_through.spring_session.ops_per_second", writeThroughRate(s));
        Bench.result("ratio.write_through.baton_vs_spring_session", writeThroughRate(b) / writeThroughRate(s));
        // the write path of a session's life: sign-in, TOUCHES_PER_SESSION requests, sign-out
        Bench.result("write.touches_per_session", TOUCHES_PER_SESSION);
        Bench.result("write.baton.sessions_per_second", lifecycleRate(b));
        Bench.result("write.spring_session.sessions_per_second", lifecycleRate(s));
        Bench.result("ratio.write.baton_vs_spring_session", lifecycleRate(b) / lifecycleRate(s));
    }

    /** Creates and deletes: total operations over total time. */
    private static double writeThroughRate(Map<String, Phase.Result> r) {
        return 2 / (1 / r.get("create").opsPerSecond() + 1 / r.get("delete").opsPerSecond());
    }

    /**
     * Whole sessions per second: the time of one create, TOUCHES_PER_SESSION requests and one delete at the
     * measured rates, the requests at the rate of the {@code touch_coalesced} phase (every session touched
     * TOUCHES_PER_SESSION times before the activity flush, which the phase includes and waits for).
     */
    private static double lifecycleRate(Map<String, Phase.Result> r) {
        return 1 / (1 / r.get("create").opsPerSecond() + TOUCHES_PER_SESSION / r.get("touch_coalesced").opsPerSecond()
                + 1 / r.get("delete").opsPerSecond());
    }

    private static void warmUp(Subject s, int threads, int n) throws Exception {
        Phase.run(threads, n, s::create, s::settle);
        Phase.run(threads, n, s::touch, s::settle);
        Phase.run(threads, n, s::delete, s::settle);
    }

    private static void report(String op, String who, Phase.Result r) {
        Bench.result(op + "." + who + ".ops_per_second", r.opsPerSecond());
        Bench.result(op + "." + who + ".p50_ms", r.p50Millis());
        Bench.result(op + "." + who + ".p99_ms", r.p99Millis());
    }

    private static void dropAll(String url, String prefix) {
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url));
        for (String p : new String[] {prefix, prefix + "c_"}) {
            for (String t : new String[] {"sessions", "lease", "schema_history"}) {
                jdbc.execute("DROP TABLE IF EXISTS \"" + p + t + "\"");
            }
        }
        SpringSessionSubject.dropSchema(jdbc, prefix + "spring_session");
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
