package dev.baton.ifmap.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * PostgreSQL on 127.0.0.1:5432 (database {@code test}, user {@code postgres}), in a schema of its own.
 * Fails when PostgreSQL is missing unless {@code -Dbaton.allowSkip=true}.
 */
class PostgresMetadataStoreTest extends MetadataStoreContract {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String SCHEMA = "ifmap_store_" + Long.toHexString(System.nanoTime());

    @BeforeAll
    static void schema() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + SCHEMA);
        } catch (SQLException e) {
            if (Boolean.getBoolean("baton.allowSkip")) {
                Assumptions.abort("PostgreSQL not reachable at " + URL);
            }
            throw new AssertionError("PostgreSQL must run at " + URL + " (or set -Dbaton.allowSkip=true)", e);
        }
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Override
    MetadataStore open() {
        return JdbcMetadataStore.open(URL + "?currentSchema=" + SCHEMA, "postgres", "", "PostgreSQL " + SCHEMA);
    }
}
