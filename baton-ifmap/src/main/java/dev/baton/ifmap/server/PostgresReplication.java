package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federation servers that are replicas of one another through PostgreSQL (F1).
 *
 * <p>Design: the graph's authority is one append-only table, the log of {@link GraphOp}s. A replica never
 * changes its graph directly: a publish (or a session's end, or a purge) is appended in one transaction
 * under a PostgreSQL advisory lock, so log order is commit order, followed by {@code NOTIFY}. Every replica
 * {@code LISTEN}s, reads the rows past the last one it applied and applies each publish as one atomic
 * change to its in-memory graph, in log order, so all graphs agree and subscribers on any replica see
 * changes published on any other. A publisher waits until its own replica has applied its rows. A
 * replica that was down reads the whole log on start and loses nothing; a missed notification costs at
 * most the 500 ms re-check.
 *
 * <p>Ownership claims are compare-and-set in the database: a claim of generation g on an item inserts
 * (item, g) into a claims table, and a second claim of the same generation finds the row and fails the
 * whole publish with the same "ownership conflict" errorResult as a single server. A delete without filter
 * of an item releases its claims.
 *
 * <p>Limits: the log grows without compaction; session-lifetime metadata of a replica that crashed stays
 * until its publisher purges it. Thread-safe.
 */
final class PostgresReplication implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresReplication.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    private final String url;
    private final String user;
    private final String password;
    private final String log;
    private final String claims;
    private final String channel;
    private final Object writeLock = new Object();
    private final Object readLock = new Object();
    private final Object appliedSignal = new Object();
    private Connection writer;
    private boolean committing;
    private Connection reader;
    private Connection listener;
    private MapService service;
    private volatile long applied;
    private volatile boolean running = true;
    private Thread thread;

    /**
     * Replication through the database at {@code url}; {@code name} (lower-case letters, digits and
     * underscores) names the tables and the notification channel, so several federations can share one
     * database.
     */
    PostgresReplication(String url, String user, String password, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new BatonException(ResultCode.CONFIGURATION, "replication name '" + name
                    + "' must be lower-case letters, digits and underscores, starting with a letter");
        }
        this.url = url;
        this.user = user;
        this.password = password;
        this.log = name + "_log";
        this.claims = name + "_claims";
        this.channel = name + "_changes";
    }

    /** Creates the tables if needed, applies the whole log to {@code target} and starts following it. */
    void start(MapService target) {
        this.service = target;
        try {
            writer = connect(false);
            try (Statement st = writer.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + lockKey() + ")");
                st.execute("CREATE TABLE IF NOT EXISTS " + log + " (seq BIGSERIAL PRIMARY KEY, batch BIGINT NOT NULL,"
                        + " kind CHAR(1) NOT NULL, item_first TEXT, item_second TEXT, namespace TEXT, local_name TEXT,"
                        + " cardinality TEXT, publisher_id TEXT, lifetime TEXT, xml TEXT, filter TEXT, filter_ns TEXT)");
                st.execute("CREATE TABLE IF NOT EXISTS " + claims + " (item_key CHAR(64) NOT NULL, generation BIGINT"
                        + " NOT NULL, PRIMARY KEY (item_key, generation))");
            }
            writer.commit();
            listen();
        } catch (SQLException e) {
            throw new BatonException(ResultCode.UNAVAILABLE, "replication database " + url + " unavailable: "
                    + e.getMessage(), e);
        }
        catchUp();
        thread = Thread.ofPlatform().name("ifmap-replication-" + channel).daemon().start(this::follow);
    }

    /**
     * Appends {@code ops} as one change, claiming {@code claimed} generations first, and returns once this
     * replica has applied it.
     *
     * @throws IfmapException {@code Failure} "ownership conflict" when a claim was taken, {@code SystemError}
     *                        when the database cannot be reached
     */
    void append(List<GraphOp> ops, List<OwnershipRule.Claim> claimed) {
        long last;
        synchronized (writeLock) {
            try {
                last = appendLocked(ops, claimed);
            } catch (SQLException first) {
                if (committing) {
                    // the outcome of a failed commit is unknown, so a retry could apply the change twice
                    rollbackQuietly();
                    throw new IfmapException(IfmapError.SystemError, "replication log commit failed, outcome unknown: "
                            + first.getMessage());
                }
                // nothing was committed: a dropped connection is replaced and the change written once more
                LOG.warn("replication log write failed ({}); retrying on a new connection", first.getMessage());
                closeQuietly(writer);
                writer = null;
                try {
                    last = appendLocked(ops, claimed);
                } catch (SQLException e) {
                    rollbackQuietly();
                    throw new IfmapException(IfmapError.SystemError, "replication log unavailable: " + e.getMessage());
                }
            }
        }
        awaitApplied(last);
    }

    private long appendLocked(List<GraphOp> ops, List<OwnershipRule.Claim> claimed) throws SQLException {
        committing = false;
        Connection c = writer();
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + lockKey() + ")");
        }
        for (GraphOp op : ops) {
            if (op instanceof GraphOp.Remove r && r.filter() == null) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + claims + " WHERE item_key = ?")) {
                    ps.setString(1, LogRows.key(r.item()));
                    ps.executeUpdate();
                }
            }
        }
        for (OwnershipRule.Claim claim : claimed) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + claims + " (item_key, generation)"
                    + " VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, LogRows.key(claim.item()));
                ps.setLong(2, claim.generation());
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    throw new IfmapException(IfmapError.Failure, OwnershipRule.CONFLICT + ": generation "
                            + claim.generation() + " of " + claim.item() + " was already claimed");
                }
            }
        }
        long batch = -1;
        long last = 0;
        String insert = "INSERT INTO " + log + " (batch, kind, item_first, item_second, namespace, local_name,"
                + " cardinality, publisher_id, lifetime, xml, filter, filter_ns) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                + " RETURNING seq";
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (LogRows.Row row : LogRows.rows(ops)) {
                row.bind(ps, batch);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    last = rs.getLong(1);
                }
                if (batch < 0) {
                    batch = last;
                    try (PreparedStatement fix = c.prepareStatement("UPDATE " + log + " SET batch = seq WHERE seq = ?")) {
                        fix.setLong(1, last);
                        fix.executeUpdate();
                    }
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("NOTIFY " + channel);
        }
        committing = true;
        c.commit();
        committing = false;
        return last;
    }

    /**
     * Applies every log row this replica has not applied yet, one publish at a time. Reading is
     * idempotent (by sequence number), so a dropped connection is replaced and the read tried once more.
     */
    void catchUp() {
        synchronized (readLock) {
            for (int attempt = 0; ; attempt++) {
                try {
                    if (reader == null || reader.isClosed()) {
                        reader = connect(true);
                    }
                    while (readBatchOfRows() > 0) {
                        // keep going until the log is exhausted
                    }
                    return;
                } catch (SQLException e) {
                    closeQuietly(reader);
                    reader = null;
                    if (attempt > 0) {
                        throw new IfmapException(IfmapError.SystemError, "replication log unreadable: " + e.getMessage());
                    }
                    LOG.warn("replication log read failed ({}); retrying on a new connection", e.getMessage());
                }
            }
        }
    }

    private int readBatchOfRows() throws SQLException {
        Map<Long, List<GraphOp>> batches = new LinkedHashMap<>();
        long lastSeq = applied;
        // Whole batches only: every row up to the batch of the 5000th unapplied row (applied is a batch end).
        try (PreparedStatement ps = reader.prepareStatement("SELECT seq, batch, kind, item_first, item_second,"
                + " namespace, local_name, cardinality, publisher_id, lifetime, xml, filter, filter_ns FROM " + log
                + " WHERE seq > ? AND batch <= (SELECT max(batch) FROM (SELECT batch FROM " + log
                + " WHERE seq > ? ORDER BY seq LIMIT 5000) AS next_rows) ORDER BY seq")) {
            ps.setLong(1, applied);
            ps.setLong(2, applied);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lastSeq = rs.getLong(1);
                    batches.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>()).add(LogRows.op(rs));
                }
            }
        }
        if (batches.isEmpty()) {
            return 0;
        }
        for (List<GraphOp> ops : batches.values()) {
            service.applyReplicated(ops);
        }
        synchronized (appliedSignal) {
            applied = lastSeq;
            appliedSignal.notifyAll();
        }
        return batches.size();
    }

    private void awaitApplied(long seq) {
        if (applied >= seq) {
            return;
        }
        catchUp();
        synchronized (appliedSignal) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (applied < seq) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IfmapException(IfmapError.SystemError, "replica did not apply its own change in 30 s");
                }
                try {
                    appliedSignal.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IfmapException(IfmapError.SystemError, "interrupted while waiting for replication");
                }
            }
        }
    }

    /** Follows the log: waits for notifications (or 500 ms) and catches up; reconnects after failures. */
    private void follow() {
        long backoff = 100;
        while (running) {
            try {
                if (listener == null || listener.isClosed()) {
                    listen();
                }
                listener.unwrap(PGConnection.class).getNotifications(500);
                catchUp();
                backoff = 100;
            } catch (Exception e) {
                // Catch everything: a dead follower would silently freeze this replica's view.
                if (!running) {
                    return;
                }
                LOG.warn("replication follower failed ({}); retrying in {} ms", e.getMessage(), backoff);
                closeQuietly(listener);
                listener = null;
                sleep(backoff);
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    private void listen() throws SQLException {
        listener = connect(true);
        try (Statement st = listener.createStatement()) {
            st.execute("LISTEN " + channel);
        }
    }

    private Connection writer() throws SQLException {
        if (writer == null || writer.isClosed()) {
            writer = connect(false);
        }
        return writer;
    }

    private Connection connect(boolean autoCommit) throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        c.setAutoCommit(autoCommit);
        return c;
    }

    private long lockKey() {
        return channel.hashCode();
    }

    private void rollbackQuietly() {
        try {
            if (writer != null) {
                writer.rollback();
            }
        } catch (SQLException e) {
            closeQuietly(writer);
            writer = null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing a replication connection failed", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (writeLock) {
            closeQuietly(writer);
        }
        synchronized (readLock) {
            closeQuietly(reader);
        }
        closeQuietly(listener);
    }
}
