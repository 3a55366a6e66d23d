package dev.baton.store.jdbc;

import dev.baton.store.CleanupLease;
import dev.baton.store.SessionStore;
import dev.baton.store.CleanupLeaseContractTest;
import org.junit.jupiter.api.AfterEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The store contract against one SQL database. Each test gets its own table prefix, so parallel runs on the
 * same database do not clash; the tables are dropped afterwards.
 */
abstract class JdbcContractTest extends CleanupLeaseContractTest {
    private JdbcStoreConfig config;

    /** The database to test, with any prefix (replaced per test). */
    protected abstract JdbcStoreConfig database();

    /** A prefix unique to one test: {@code t} and 12 random hex digits. */
    static String uniquePrefix() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return "t" + HexFormat.of().formatHex(b) + "_";
    }

    @Override
    protected SessionStore openStore() {
        config = database().withTablePrefix(uniquePrefix()).withPoolSize(4);
        return JdbcSessionStore.open(config);
    }

    @Override
    protected SessionStore openSecondNode() {
        return JdbcSessionStore.open(config);
    }

    @Override
    protected CleanupLease leaseOf(SessionStore s) {
        return (JdbcSessionStore) s;
    }

    /**
     * Two gateways sharing the table, each taking in a session the other drops in the same moment (a
     * migration each way), must not deadlock: their transactions lock rows in one order.
     */
    @org.junit.jupiter.api.Test
    void twoNodesSwappingSessionsAtTheSameMomentNeverDeadlock() throws Exception {
        SessionStore a = openStore();
        try (SessionStore b = openSecondNode();
             var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            java.time.Instant now = java.time.Instant.now();
            for (int round = 0; round < 60; round++) {
                var x = dev.baton.store.TestSessions.session("x" + round, "gw-a", now, java.time.Duration.ofMinutes(5));
                var y = dev.baton.store.TestSessions.session("y" + round, "gw-b", now, java.time.Duration.ofMinutes(5));
                a.writeAll(java.util.List.of(x, y), java.util.List.of());
                var start = new java.util.concurrent.CyclicBarrier(2);
                var toA = pool.submit(() -> {
                    start.await();
                    a.writeAll(java.util.List.of(x), java.util.List.of(y.session().hash()));
                    return null;
                });
                var toB = pool.submit(() -> {
                    start.await();
                    b.writeAll(java.util.List.of(y), java.util.List.of(x.session().hash()));
                    return null;
                });
                toA.get(30, java.util.concurrent.TimeUnit.SECONDS); // a deadlock surfaces as an ExecutionException
                toB.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            a.close();
        }
    }

    @AfterEach
    void dropTables() throws SQLException {
        if (config != null) {
            dropTables(config);
        }
    }

    static void dropTables(JdbcStoreConfig config) throws SQLException {
        try (Connection c = DriverManager.getConnection(config.url(), config.user(), config.password());
             Statement st = c.createStatement()) {
            for (String t : new String[] {"sessions", "lease", "schema_history"}) {
                st.execute("DROP TABLE IF EXISTS " + quote(config, config.tablePrefix() + t));
            }
        }
    }

    private static String quote(JdbcStoreConfig config, String name) {
        // Flyway creates its history table with a quoted lower-case name on H2 and PostgreSQL
        return config.dialect() == Dialect.MARIADB ? name : "\"" + name + "\"";
    }
}
