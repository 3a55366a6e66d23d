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
 * ones. Usage: {@code SessionStoreBench [--quick] [--threads N]}; PostgreSQL from {@code BATON_PG_URL}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}). Tables get a random prefix and are
 * dropped at the end.
 *
 * <p>Write path: create and delete are durable in both stores when the call returns. A Baton touch changes
 * memory and is written by the next activity flush; the touch phase ends with that flush and waits for it,
 * so its time includes the writes. Spring Session writes every touch ({@code SessionRepositoryFilter}'s
 * find-then-save).
 */
public final class SessionStoreBench {
    private SessionStoreBench() {
    }

    /** Entry point; prints RESULT lines on standard output. */
    public static void main(String[] args) throws Exception {
        boolean quick = java.util.Arrays.asList(args).contains("--quick");
        int threads = intArg(args, "--threads", quick ? 8 : 16);
        int perThread = quick ? 1_000 : 5_000;
        String url = System.getenv().getOrDefault("BATON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String prefix = "bench" + HexFormat.of().formatHex(randomBytes()) + "_";
        JdbcStoreConfig config = JdbcStoreConfig.of(url, "", "").withTablePrefix(prefix).withPoolSize(threads);
        Bench.result("threads", threads);
        Bench.result("sessions_per_thread", perThread);
        try {
            compare(url, config, prefix, threads, perThread);
            new CleanupBench(url, config.withTablePrefix(prefix + "c_"), quick ? 100_000 : 1_000_000,
                    quick ? 10_000 : 100_000, Duration.ofSeconds(quick ? 2 : 5), 4).run();
        } finally {
            dropAll(url, prefix);
        }
    }

    private static void compare(String url, JdbcStoreConfig config, String prefix, int threads, int perThread) throws Exception {
        Map<String, Map<String, Phase.Result>> results = new LinkedHashMap<>();
        try (BatonSubject baton = new BatonSubject(config, threads, perThread);
             SpringSessionSubject spring = new SpringSessionSubject(url, prefix + "spring_session", threads, threads, perThread)) {
            for (Subject s : new Subject[] {baton, spring}) {
                warmUp(s, threads);
            }
            for (Subject s : new Subject[] {baton, spring}) {
                results.put(s.name(), measure(s, threads, perThread));
            }
        }
        Map<String, Phase.Result> b = results.get("baton");
        Map<String, Phase.Result> s = results.get("spring_session");
        for (String op : b.keySet()) {
            report(op, "baton", b.get(op));
            report(op, "spring_session", s.get(op));
            Bench.result("ratio." + op + ".baton_vs_spring_session", b.get(op).opsPerSecond() / s.get(op).opsPerSecond());
        }
        // the write path: every durable write (creates and deletes), total operations over total time
        double batonWrite = writeRate(b);
        double springWrite = writeRate(s);
        Bench.result("write.baton.ops_per_second", batonWrite);
        Bench.result("write.spring_session.ops_per_second", springWrite);
        Bench.result("ratio.write.baton_vs_spring_session", batonWrite / springWrite);
    }

    private static double writeRate(Map<String, Phase.Result> r) {
        double create = r.get("create").opsPerSecond();
        double delete = r.get("delete").opsPerSecond();
        return 2 / (1 / create + 1 / delete);
    }

    private static Map<String, Phase.Result> measure(Subject s, int threads, int perThread) throws Exception {
        Map<String, Phase.Result> r = new LinkedHashMap<>();
        r.put("create", Phase.run(threads, perThread, s::create, s::settle));
        r.put("read", Phase.run(threads, perThread, s::read, s::settle));
        // a read that misses memory (after a restart): Baton reads the row; Spring Session always does
        r.put("read_store", s instanceof BatonSubject b ? Phase.run(threads, perThread, b::readFromStore, () -> { }) : r.get("read"));
        r.put("touch", Phase.run(threads, perThread, s::touch, s::settle));
        r.put("delete", Phase.run(threads, perThread, s::delete, s::settle));
        return r;
    }

    private static void warmUp(Subject s, int threads) throws Exception {
        int n = 300;
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
