package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica set's database: where it is, what its tables and notification channel are called, and how the
 * tables are created. Every name starts with the replica set's name so several federations can share one
 * database; that name is checked because it is spliced into SQL. Immutable and thread-safe.
 *
 * <p>Tables: {@code NAME_log}, the append-only log of {@link GraphOp}s in {@link LogRows}' row format;
 * {@code NAME_claims}, the ownership claims (compare-and-set authority); {@code NAME_snapshot}, the graph as
 * of the last compaction, in the log's row format; {@code NAME_snapshot_at}, one row with the snapshot's log
 * position and the truncation point; {@code NAME_replicas}, how far each live replica has applied the log.
 */
final class ReplicationSchema {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSchema.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    final String log;
    final String claims;
    final String snapshot;
    final String snapshotAt;
    final String replicas;
    final String channel;
    private final String url;
    private final String user;
    private final String password;

    /**
     * The tables named after {@code name} (lower-case letters, digits and underscores, starting with a letter)
     * in the database at {@code url}.
     */
    ReplicationSchema(String url, String user, String password, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new BatonException(ResultCode.CONFIGURATION, "replication name '" + name
                    + "' must be lower-case letters, digits and underscores, starting with a letter");
        }
        this.url = url;
        this.user = user;
        this.password = password;
        this.log = name + "_log";
        this.claims = name + "_claims";
        this.snapshot = name + "_snapshot";
        this.snapshotAt = name + "_snapshot_at";
        this.replicas = name + "_replicas";
        this.channel = name + "_changes";
    }

    /**
     * Creates the tables that do not exist yet, in one transaction of {@code c} that holds the append lock, so
     * replicas starting together do not race to create them.
     */
    void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + appendLockKey() + ")");
            st.execute("CREATE TABLE IF NOT EXISTS " + log + " (seq BIGSERIAL PRIMARY KEY, " + LogRows.COLUMN_TYPES + ")");
            st.execute("CREATE TABLE IF NOT EXISTS " + claims + " (item_key CHAR(64) NOT NULL, generation BIGINT"
                    + " NOT NULL, PRIMARY KEY (item_key, generation))");
            st.execute("CREATE TABLE IF NOT EXISTS " + snapshot + " (seq BIGINT PRIMARY KEY, " + LogRows.COLUMN_TYPES + ")");
            st.execute("CREATE TABLE IF NOT EXISTS " + snapshotAt + " (id INT PRIMARY KEY CHECK (id = 1),"
                    + " position BIGINT NOT NULL, truncated BIGINT NOT NULL, taken_at TIMESTAMPTZ)");
            st.execute("INSERT INTO " + snapshotAt + " (id, position, truncated) VALUES (1, 0, 0)"
                    + " ON CONFLICT DO NOTHING");
            st.execute("CREATE TABLE IF NOT EXISTS " + replicas + " (replica_id TEXT PRIMARY KEY,"
                    + " applied BIGINT NOT NULL, seen_at TIMESTAMPTZ NOT NULL)");
        }
        c.commit();
    }

    /** A new connection to the database. */
    Connection connect(boolean autoCommit) throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        c.setAutoCommit(autoCommit);
        return c;
    }

    /** The database's URL, for messages. */
    String url() {
        return url;
    }

    /** The advisory lock that orders appends to the log: log order is commit order. */
    long appendLockKey() {
        return channel.hashCode();
    }

    /** The advisory lock one compaction at a time holds; another key than {@link #appendLockKey}'s. */
    long compactionLockKey() {
        return ((long) channel.hashCode() << 32) | 0x636f6d70L; // "comp"
    }

    static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing a replication connection failed", e);
        }
    }
}
