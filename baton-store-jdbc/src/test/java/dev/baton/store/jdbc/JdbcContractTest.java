package dev.baton.store.jdbc;

import dev.baton.store.CleanupLease;
import dev.baton.store.SessionStore;
import dev.baton.store.SessionStoreContractTest;
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
abstract class JdbcContractTest extends SessionStoreContractTest {
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
