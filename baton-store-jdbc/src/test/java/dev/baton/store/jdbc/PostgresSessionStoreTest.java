package dev.baton.store.jdbc;

/**
 * The store contract against the PostgreSQL server of this machine ({@code BATON_PG_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}). Fails, not skips, when it is unreachable.
 */
class PostgresSessionStoreTest extends JdbcContractTest {
    static final String URL = System.getenv().getOrDefault("BATON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @Override
    protected JdbcStoreConfig database() {
        Servers.require("PostgreSQL", URL, "", "");
        return JdbcStoreConfig.of(URL, "", "");
    }
}
