package dev.baton.store.jdbc;

import com.zaxxer.hikari.HikariConfig;

/** The connection pool of a SQL session store, as its configuration asks. */
final class Pools {
    private Pools() {
    }

    static HikariConfig hikari(JdbcStoreConfig config) {
        return hikari(config, config.connectionTimeout());
    }

    /** As the configuration asks, but waiting up to {@code connectionWait} for a connection (the start-up's wait). */
    static HikariConfig hikari(JdbcStoreConfig config, java.time.Duration connectionWait) {
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(config.url());
        h.setUsername(config.user());
        h.setPassword(config.password());
        h.setMaximumPoolSize(config.poolSize());
        h.setConnectionTimeout(Math.max(connectionWait.toMillis(), config.connectionTimeout().toMillis()));
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
