package dev.baton.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The benchmarks {@link Bench} knows by name. Adding a benchmark is one line in {@link #standard()}.
 * Immutable once built by {@link #standard()}; {@link #register} is for building only.
 */
public final class BenchRegistry {
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** A registered benchmark: its one-line description and how to make a fresh instance. */
    public record Entry(String description, Supplier<? extends Benchmark> factory) {
    }

    /** Every benchmark of this build. */
    public static BenchRegistry standard() {
        return new BenchRegistry()
                .register("ifmap", "IF-MAP federation server: publish, search, publish-to-poll, vs irond",
                        IfmapBenchmark::new)
                .register("migration", "end-to-end session migrations between two HTTPS gateways: rate, p50/p99",
                        dev.baton.bench.migration.MigrationBenchmark::new)
                .register("attack", "floods against gateways: sign-ins at the production hash cost, challenges; honest agents' service",
                        dev.baton.bench.security.AttackBenchmark::new)
                .register("requests", "session requests with a proof of possession each: rate, p50/p99, CPU per request",
                        dev.baton.bench.security.RequestBenchmark::new)
                .register("store", "session store create/read/touch/delete vs Spring Session JDBC on PostgreSQL",
                        () -> (mode, results) -> {
                            dev.baton.bench.store.SessionStoreBench.main(args(mode, "--store-only"));
                            return true;
                        })
                .register("cleanup", "cleanup of expired sessions among live ones on PostgreSQL, with read latency",
                        () -> (mode, results) -> {
                            dev.baton.bench.store.SessionStoreBench.main(args(mode, "--cleanup-only"));
                            return true;
                        })
                .register("purge", "LDAP: session writes into slapd, purge with 1/2/4 threads, throttle accuracy",
                        () -> (mode, results) -> {
                            dev.baton.bench.purge.PurgeBenchmark.main(mode == RunMode.QUICK ? new String[] {"--quick"} : new String[0]);
                            return true;
                        })
                .register("admin", "admin API on a million stored sessions: user filter p99, count; revoking a user everywhere",
                        dev.baton.bench.admin.AdminBenchmark::new)
                .register("sso", "browser single sign-on: code flows with a session and full sign-ins per second, vs Keycloak",
                        dev.baton.bench.sso.SsoBenchmark::new)
                .register("memory", "live heap per session: a gateway's memory tier, the federation server vs irond; restart with preload",
                        dev.baton.bench.memory.MemoryBenchmark::new);
    }

    /**
     * Adds a benchmark under {@code name} (lower-case letters, digits and dashes).
     *
     * @throws IllegalArgumentException when the name is malformed or already taken
     */
    public BenchRegistry register(String name, String description, Supplier<? extends Benchmark> factory) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("benchmark name must be lower-case letters, digits and dashes: " + name);
        }
        if (entries.putIfAbsent(name, new Entry(description, factory)) != null) {
            throw new IllegalArgumentException("benchmark " + name + " is registered twice");
        }
        return this;
    }

    private static String[] args(RunMode mode, String what) {
        return mode == RunMode.QUICK ? new String[] {"--quick", what} : new String[] {what};
    }

    /** The benchmark registered under {@code name}, if any. */
    public Optional<Entry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** Names and descriptions in registration order. */
    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }
}
