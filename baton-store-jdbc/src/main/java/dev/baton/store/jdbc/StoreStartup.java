package dev.baton.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * How a SQL store opens: the pool, then the schema. Opening waits longer than a request does, because a
 * database that is starting (an H2 file replaying its log on a busy machine, a PostgreSQL server coming up) is
 * not a database that is down: requests give up after {@code store.jdbc.connection-timeout-ms} (2 s), the
 * start-up waits up to {@code store.jdbc.startup-timeout-ms} (60 s) and logs what it waits for.
 *
 * <p>An embedded H2 database is opened first with one plain connection, which waits as long as opening the file
 * takes and fails at once, with {@link #H2_IN_USE}, when another process holds the file: H2 lets one process open
 * a database file at a time. Through the pool that refusal would be retried until the timeout and then reported
 * as a timeout, the cause only in H2's trace file.
 */
final class StoreStartup {
    /** H2's error code for a database file another process holds ({@code DATABASE_ALREADY_OPEN_1}). */
    static final int H2_IN_USE = 90020;

    private static final Logger LOG = LoggerFactory.getLogger(StoreStartup.class);

    private StoreStartup() {
    }

    /** A pool to the configured database with its schema up to date; its requests wait the configured time. */
    static HikariDataSource open(JdbcStoreConfig config) {
        String where = config.url().replaceAll("[?;].*", "");
        LOG.info("opening session store {}: waiting up to {} s for the database to open and its schema to be brought up to date",
                config, config.startupTimeout().toSeconds());
        Connection first = config.dialect() == Dialect.H2 ? openH2(config, where) : null;
        HikariDataSource pool = new HikariDataSource(Pools.hikari(config, config.startupTimeout()));
        try {
            Flyway.configure().dataSource(pool).locations(config.dialect().migrations())
                    .table(config.tablePrefix() + "schema_history").placeholders(Map.of("prefix", config.tablePrefix()))
                    .baselineOnMigrate(true).baselineVersion("0").load().migrate();
            pool.getHikariConfigMXBean().setConnectionTimeout(config.connectionTimeout().toMillis());
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw new BatonException(ResultCode.UNAVAILABLE, "cannot prepare the session store schema at " + where
                    + " within " + config.startupTimeout().toMillis() + " ms: " + e.getMessage(), e);
        } finally {
            close(first);
        }
    }

    /** Opens the H2 file with one connection, kept until the pool has its own, so the database stays open meanwhile. */
    private static Connection openH2(JdbcStoreConfig config, String where) {
        try {
            return DriverManager.getConnection(config.url(), config.user(), config.password());
        } catch (SQLException e) {
            if (e.getErrorCode() == H2_IN_USE) {
                throw new BatonException(ResultCode.UNAVAILABLE, "the H2 database " + where + " is in use by another process"
                        + " (H2 lets one process open a database file at a time; most likely a gateway running on it): stop that"
                        + " process, or give this one a database of its own", e);
            }
            throw new BatonException(ResultCode.UNAVAILABLE, "cannot open the H2 database " + where + ": " + e.getMessage(), e);
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the first H2 connection failed", e);
            }
        }
    }

    /** Whether {@code e}, or a cause of it, is H2's refusal of a database file another process holds. */
    static boolean h2InUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() == H2_IN_USE) {
                return true;
            }
        }
        return false;
    }
}
