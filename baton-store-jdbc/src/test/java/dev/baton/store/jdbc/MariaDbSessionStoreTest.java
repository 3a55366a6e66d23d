package dev.baton.store.jdbc;

/**
 * The store contract against the MariaDB server of this machine ({@code BATON_MARIADB_URL}, default
 * {@code jdbc:mariadb://127.0.0.1:3306/test}, user root without password). Fails, not skips, when it is
 * unreachable.
 */
class MariaDbSessionStoreTest extends JdbcContractTest {
    static final String URL = System.getenv().getOrDefault("BATON_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");

    @Override
    protected JdbcStoreConfig database() {
        Servers.require("MariaDB", URL, "root", "");
        return JdbcStoreConfig.of(URL, "root", "");
    }
}
