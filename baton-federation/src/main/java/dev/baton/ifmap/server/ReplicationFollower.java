package dev.baton.ifmap.server;

import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this replica's graph equal to the shared log: {@code LISTEN}s for the writers' notifications (or
 * re-checks every 500 ms, so a missed one costs no more), reads the rows past the last one applied and
 * applies each publish as one atomic change, in log order. Reports how far it has applied, at most once a
 * second, so compaction knows which rows every live replica has. When compaction deleted rows this replica
 * had not applied it reloads the snapshot rather than skip them. Thread-safe.
 */
final class ReplicationFollower {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationFollower.class);

    /** The graph as of a log position: what a compaction writes as the snapshot. */
    record AppliedGraph(long position, List<MetadataStore.Stored> items) { }

    /** Whole batches of log rows (keyed by batch), the last row's position and the log's truncation point. */
    private record Rows(Map<Long, List<GraphOp>> batches, long lastSeq, long truncated) { }

    private final ReplicationSchema schema;
    private final Duration livenessWindow;
    private final String replicaId = UUID.randomUUID().toString();
    private final Object readLock = new Object();
    private final Object appliedSignal = new Object();
    private Connection reader;
    private Connection listener;
    private MapService service;
    private volatile long applied;
    private volatile boolean running = true;
    private Thread thread;
    private long lastReport;

    /** {@code livenessWindow} is only named in the warning of a reload. */
    ReplicationFollower(ReplicationSchema schema, Duration livenessWindow) {
        this.schema = schema;
        this.livenessWindow = livenessWindow;
    }

    /** This replica's id in the replicas table: random per start. */
    String replicaId() {
        return replicaId;
    }

    /** Opens the connection that listens for the writers' notifications. */
    void listen() throws SQLException {
        listener = schema.connect(true);
        try (Statement st = listener.createStatement()) {
            st.execute("LISTEN " + schema.channel);
        }
    }

    /**
     * Loads the snapshot and the log past it into {@code target}, registers this replica's position and
     * starts following the log. Call {@link #listen} first.
     */
    void start(MapService target) {
        this.service = target;
        catchUp(true);
        try {
            report(listener, true); // registered before the first compaction can consider this replica
        } catch (SQLException e) {
            LOG.warn("replica position not recorded yet ({}); the follower retries", e.getMessage());
        }
        thread = Thread.ofPlatform().name("ifmap-replication-" + schema.channel).daemon().start(this::follow);
    }

    /**
     * Applies every log row this replica has not applied yet, one publish at a time. Reading is
     * idempotent (by sequence number), so a dropped connection is replaced and the read tried once more.
     */
    void catchUp() {
        catchUp(false);
    }

    private void catchUp(boolean fromSnapshot) {
        synchronized (readLock) {
            for (int attempt = 0; ; attempt++) {
                try {
                    if (reader == null || reader.isClosed()) {
                        reader = schema.connect(true);
                    }
                    if (fromSnapshot) {
                        reload();
                        fromSnapshot = false;
                    }
                    while (readBatchOfRows() > 0) {
                        // keep going until the log is exhausted
                    }
                    return;
                } catch (SQLException e) {
                    ReplicationSchema.closeQuietly(reader);
                    reader = null;
                    if (attempt > 0) {
                        throw new IfmapException(IfmapError.SystemError, "replication log unreadable: " + e.getMessage());
                    }
                    LOG.warn("replication log read failed ({}); retrying on a new connection", e.getMessage());
                }
            }
        }
    }

    /**
     * Applies the next whole batches of log rows; returns how many, 0 when caught up. Reloads the snapshot
     * first when compaction deleted rows this replica had not applied.
     */
    private int readBatchOfRows() throws SQLException {
        Rows next = readRows();
        if (next.truncated() > applied) {
            LOG.warn("replication log rows {}..{} this replica had not applied were compacted away (it was not seen"
                    + " for {} s or was starting); reloading the snapshot. Notify results in that range are not"
                    + " delivered here.", applied + 1, next.truncated(), livenessWindow.toSeconds());
            if (!reload()) {
                throw new SQLException("log truncated through " + next.truncated() + " but the snapshot is older");
            }
            return 1;
        }
        if (next.batches().isEmpty()) {
            return 0;
        }
        for (List<GraphOp> ops : next.batches().values()) {
            service.applyReplicated(ops);
        }
        advance(next.lastSeq());
        return next.batches().size();
    }

    /**
     * Whole batches only: every row up to the batch of the 5000th unapplied row ({@code applied} is a batch
     * end). The truncation point comes in the same statement, so it and the rows are one consistent view.
     */
    private Rows readRows() throws SQLException {
        Map<Long, List<GraphOp>> batches = new LinkedHashMap<>();
        long lastSeq = applied;
        long truncated = 0;
        try (PreparedStatement ps = reader.prepareStatement("SELECT l.*, a.truncated FROM " + schema.snapshotAt
                + " a LEFT JOIN (SELECT seq, " + LogRows.COLUMNS + " FROM " + schema.log + " WHERE seq > ? AND batch <="
                + " (SELECT max(batch) FROM (SELECT batch FROM " + schema.log + " WHERE seq > ? ORDER BY seq LIMIT 5000)"
                + " AS next_rows)) l ON true ORDER BY l.seq")) {
            ps.setLong(1, applied);
            ps.setLong(2, applied);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    truncated = rs.getLong(14);
                    if (rs.getObject(1) == null) {
                        break; // no new rows: only the truncation point
                    }
                    lastSeq = rs.getLong(1);
                    batches.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>()).add(LogRows.op(rs));
                }
            }
        }
        return new Rows(batches, lastSeq, truncated);
    }

    /**
     * Replaces this replica's graph with the snapshot and sets its position to the snapshot's, both read
     * in one repeatable-read transaction; false if the snapshot is not newer than this replica's graph.
     * Holds the read lock (no replicated change is applied meanwhile).
     */
    private boolean reload() throws SQLException {
        List<MetadataStore.Stored> items = new ArrayList<>();
        long position = inRepeatableRead(() -> readSnapshot(items));
        if (position <= applied) {
            return false; // nothing newer than this replica's graph (a fresh start with no snapshot yet)
        }
        service.replaceGraph(items);
        advance(position);
        LOG.info("loaded the replication snapshot at log position {}: {} metadata elements", position, items.size());
        return true;
    }

    /** The snapshot's position; its elements go to {@code items} only when it is newer than this replica's graph. */
    private long readSnapshot(List<MetadataStore.Stored> items) throws SQLException {
        long position;
        try (Statement st = reader.createStatement();
             ResultSet rs = st.executeQuery("SELECT position FROM " + schema.snapshotAt)) {
            position = rs.next() ? rs.getLong(1) : 0;
        }
        if (position <= applied) {
            return position;
        }
        try (PreparedStatement ps = reader.prepareStatement("SELECT seq, " + LogRows.COLUMNS + " FROM "
                + schema.snapshot + " ORDER BY seq")) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (LogRows.op(rs) instanceof GraphOp.Put p) {
                        items.add(new MetadataStore.Stored(p.item(), p.metadata().getFirst()));
                    }
                }
            }
        }
        return position;
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one repeatable-read transaction of the reader connection. */
    private <T> T inRepeatableRead(SqlWork<T> work) throws SQLException {
        reader.setAutoCommit(false);
        reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            T result = work.run();
            reader.commit();
            return result;
        } catch (SQLException e) {
            try {
                reader.rollback();
            } catch (SQLException ignored) {
                // the connection is replaced by the caller
            }
            throw e;
        } finally {
            try {
                reader.setAutoCommit(true);
                reader.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            } catch (SQLException ignored) {
                // a broken connection is replaced by the caller on its next use
            }
        }
    }

    private void advance(long position) {
        synchronized (appliedSignal) {
            applied = position;
            appliedSignal.notifyAll();
        }
    }

    /** Records this replica's applied position and that it is alive, at most once a second. */
    private void report(Connection c, boolean now) throws SQLException {
        long t = System.nanoTime();
        if (!now && t - lastReport < 1_000_000_000L) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema.replicas
                + " (replica_id, applied, seen_at) VALUES (?, ?, now()) ON CONFLICT (replica_id) DO UPDATE"
                + " SET applied = EXCLUDED.applied, seen_at = EXCLUDED.seen_at")) {
            ps.setString(1, replicaId);
            ps.setLong(2, applied);
            ps.executeUpdate();
        }
        lastReport = t;
    }

    /** Returns once this replica has applied the log through {@code seq}; a publisher waits for its own rows. */
    void awaitApplied(long seq) {
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

    /**
     * A copy of the graph and the position it is the graph as of: taken under the read lock, so no replicated
     * change is applied during the copy.
     */
    AppliedGraph copyGraph() {
        synchronized (readLock) {
            return new AppliedGraph(applied, service.snapshot());
        }
    }

    /** Runs {@code action} while this replica applies no replicated change, as one stalled by a long pause would. */
    <T> T whilePaused(Callable<T> action) throws Exception {
        synchronized (readLock) {
            return action.call();
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
                report(listener, false);
                backoff = 100;
            } catch (Exception e) {
                // Catch everything: a dead follower would silently freeze this replica's view.
                if (!running) {
                    return;
                }
                LOG.warn("replication follower failed ({}); retrying in {} ms", e.getMessage(), backoff);
                ReplicationSchema.closeQuietly(listener);
                listener = null;
                sleep(backoff);
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops following the log; waits up to 2 s for the follower thread to end. */
    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes the connections; after {@link #stop}. */
    void close() {
        synchronized (readLock) {
            ReplicationSchema.closeQuietly(reader);
        }
        ReplicationSchema.closeQuietly(listener);
    }
}
