package dev.baton.ifmap.server;

import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends publishes to the replicas' shared log. Each append is one transaction under a PostgreSQL advisory
 * lock, so log order is commit order, and ends with a {@code NOTIFY} that wakes every replica's
 * {@link ReplicationFollower}. Ownership claims are compare-and-set in the claims table, in the same
 * transaction as the rows they go with: a claim of a generation someone already claimed fails the whole
 * publish. One connection, used by one append at a time. Thread-safe.
 */
final class ReplicationWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationWriter.class);

    private final ReplicationSchema schema;
    private final Object lock = new Object();
    private Connection connection;
    private boolean committing;

    ReplicationWriter(ReplicationSchema schema) {
        this.schema = schema;
    }

    /** Creates the tables that do not exist yet, on this writer's connection. */
    void createTables() throws SQLException {
        synchronized (lock) {
            schema.create(connection());
        }
    }

    /**
     * Appends {@code ops} as one change, claiming {@code claimed} generations first; returns the log position
     * of its last row. A write that fails before its commit is tried once more on a new connection; a failed
     * commit is not, since its outcome is unknown and a retry could apply the change twice.
     *
     * @throws IfmapException {@code Failure} "ownership conflict" when a claim was taken, {@code SystemError}
     *                        when the database cannot be reached
     */
    long append(List<GraphOp> ops, List<OwnershipRule.Claim> claimed) {
        synchronized (lock) {
            try {
                return appendLocked(ops, claimed);
            } catch (SQLException first) {
                if (committing) {
                    rollbackQuietly();
                    throw new IfmapException(IfmapError.SystemError, "replication log commit failed, outcome unknown: "
                            + first.getMessage());
                }
                LOG.warn("replication log write failed ({}); retrying on a new connection", first.getMessage());
                ReplicationSchema.closeQuietly(connection);
                connection = null;
                try {
                    return appendLocked(ops, claimed);
                } catch (SQLException e) {
                    rollbackQuietly();
                    throw new IfmapException(IfmapError.SystemError, "replication log unavailable: " + e.getMessage());
                }
            }
        }
    }

    private long appendLocked(List<GraphOp> ops, List<OwnershipRule.Claim> claimed) throws SQLException {
        committing = false;
        Connection c = connection();
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + schema.appendLockKey() + ")");
        }
        releaseClaims(c, ops);
        claim(c, claimed);
        long last = insert(c, ops);
        try (Statement st = c.createStatement()) {
            st.execute("NOTIFY " + schema.channel);
        }
        committing = true;
        c.commit();
        committing = false;
        return last;
    }

    /** A delete without filter of an item releases its claims. */
    private void releaseClaims(Connection c, List<GraphOp> ops) throws SQLException {
        for (GraphOp op : ops) {
            if (op instanceof GraphOp.Remove r && r.filter() == null && r.onlyPublisher() == null) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + schema.claims + " WHERE item_key = ?")) {
                    ps.setString(1, LogRows.key(r.item()));
                    ps.executeUpdate();
                }
            }
        }
    }

    /** Inserts each claim; one that is there already rolls the transaction back and fails the publish. */
    private void claim(Connection c, List<OwnershipRule.Claim> claimed) throws SQLException {
        for (OwnershipRule.Claim claim : claimed) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema.claims + " (item_key, generation)"
                    + " VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, LogRows.key(claim.item()));
                ps.setLong(2, claim.generation());
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    throw IfmapException.ownershipConflict("generation "
                            + claim.generation() + " of " + claim.item() + " was already claimed");
                }
            }
        }
    }

    /**
     * Inserts the rows of {@code ops}; every row's batch is the sequence number of the first, which marks
     * them as one change for the followers. Returns the last row's sequence number.
     */
    private long insert(Connection c, List<GraphOp> ops) throws SQLException {
        long batch = -1;
        long last = 0;
        String insert = "INSERT INTO " + schema.log + " (" + LogRows.COLUMNS + ") VALUES (" + LogRows.PARAMETERS
                + ") RETURNING seq";
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (LogRows.Row row : LogRows.rows(ops)) {
                row.bind(ps, batch);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    last = rs.getLong(1);
                }
                if (batch < 0) {
                    batch = last;
                    try (PreparedStatement fix = c.prepareStatement("UPDATE " + schema.log
                            + " SET batch = seq WHERE seq = ?")) {
                        fix.setLong(1, last);
                        fix.executeUpdate();
                    }
                }
            }
        }
        return last;
    }

    /**
     * Removes {@code replicaId}'s reported position, so a replica that stops cleanly no longer holds the log
     * back, and closes the connection.
     */
    void close(String replicaId) {
        synchronized (lock) {
            try {
                Connection c = connection();
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + schema.replicas
                        + " WHERE replica_id = ?")) {
                    ps.setString(1, replicaId);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                LOG.debug("removing this replica from {} failed", schema.replicas, e);
            }
            ReplicationSchema.closeQuietly(connection);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = schema.connect(false);
        }
        return connection;
    }

    private void rollbackQuietly() {
        try {
            if (connection != null) {
                connection.rollback();
            }
        } catch (SQLException e) {
            ReplicationSchema.closeQuietly(connection);
            connection = null;
        }
    }
}
