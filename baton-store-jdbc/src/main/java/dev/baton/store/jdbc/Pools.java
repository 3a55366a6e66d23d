package dev.baton.store.jdbc;

import com.zaxxer.hikari.HikariConfig;

/** The connection pool of a SQL session store, as its configuration asks. */
final class Pools {
    private Pools() {
    }

    static HikariConfig hikari(JdbcStoreConfig config) {
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(config.url());
        h.setUsername(config.user());
        h.setPassword(config.password());
        h.setMaximumPoolSize(config.poolSize());
        h.setConnectionTimeout(config.connectionTimeout().toMillis());
        h.setValidationTimeout(Math.min(config.connectionTimeout().toMillis(), 1000));
        // start even when the database is down: the tiered store serves from memory until it returns
        h.setInitializationFailTimeout(-1);
        h.setPoolName("baton-store");
        if (config.dialect() == Dialect.POSTGRESQL) {
            h.addDataSourceProperty("reWriteBatchedInserts", "true");
            h.addDataSourceProperty("logServerErrorDetail", "false"); // keeps row values out of error messages
        }
        return h;
    }
}
