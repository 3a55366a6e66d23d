package dev.baton.ifmap.server;

import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the shared log from growing without bound. Every interval it tries, one replica at a time (an
 * advisory lock that is tried, never waited for, so publishes are not held up), to replace the snapshot with
 * this replica's graph as of its applied position S and record S, then delete the log rows up to min(S, the
 * smallest position reported by the replicas seen within the liveness window) and record that truncation
 * point T, all in one transaction. Replicas not seen within the window (crashed, stopped) do not hold the log
 * back; a follower that finds its position below T reloads the snapshot. A snapshot no newer than the stored
 * one is not written again; only the deletion step runs.
 *
 * <p>The claims table is left alone: claims are the compare-and-set authority, not derived from the log, and
 * a claim of an item that is gone still makes a stale claim of that generation fail, so removing it could let
 * a lost race win. Each compaction writes the whole graph (a cost proportional to the graph, not to the log);
 * the deleted rows are reclaimed by PostgreSQL's autovacuum. Thread-safe.
 */
final class ReplicationCompactor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationCompactor.class);

    /** What one {@link #compact()} did: whether it ran (another replica may have held the lock). */
    record Compaction(boolean ran, long snapshotPosition, int snapshotRows, long truncatedThrough, long deletedRows) {
    }

    private final ReplicationSchema schema;
    private final Duration interval;
    private final Duration livenessWindow;
    private final Supplier<ReplicationFollower.AppliedGraph> graph;
    private final Object lock = new Object();
    private ScheduledExecutorService executor;

    /**
     * Compaction of {@code schema}'s log every {@code interval}, with the snapshots {@code graph} copies; a
     * replica not seen for {@code livenessWindow} does not hold the log back.
     */
    ReplicationCompactor(ReplicationSchema schema, Duration interval, Duration livenessWindow,
                         Supplier<ReplicationFollower.AppliedGraph> graph) {
        this.schema = schema;
        this.interval = interval;
        this.livenessWindow = livenessWindow;
        this.graph = graph;
    }

    /** Schedules compaction; a random first delay spreads the replicas' attempts over the interval. */
    void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("ifmap-compaction-" + schema.channel).daemon().factory());
        long every = interval.toMillis();
        executor.scheduleWithFixedDelay(this::compactQuietly,
                every / 2 + ThreadLocalRandom.current().nextLong(every / 2 + 1), every, TimeUnit.MILLISECONDS);
    }

    private void compactQuietly() {
        try {
            Compaction c = compact();
            if (c.ran()) {
                LOG.info("replication log compacted: snapshot at {} ({} elements), log rows through {} deleted ({})",
                        c.snapshotPosition(), c.snapshotRows(), c.truncatedThrough(), c.deletedRows());
            }
        } catch (Exception e) {
            // Catch everything: an exception would cancel the schedule and the log would grow again.
            LOG.warn("replication log compaction failed ({}); trying again in {} s", e.getMessage(),
                    interval.toSeconds());
        }
    }

    /**
     * Compacts the log now unless another replica is compacting: writes the snapshot of this replica's
     * graph (unless the stored one is as new), then deletes the log rows every live replica has applied.
     *
     * @throws IfmapException {@code SystemError} when the database cannot be reached
     */
    Compaction compact() {
        synchronized (lock) {
            return compact(graph.get());
        }
    }

    /** {@link #compact()} with {@code copy} as this replica's graph; tests give one of their own. */
    Compaction compact(ReplicationFollower.AppliedGraph copy) {
        try (Connection c = schema.connect(false)) {
            try {
                return compact(c, copy);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IfmapException(IfmapError.SystemError, "replication log compaction failed: " + e.getMessage());
        }
    }

    private Compaction compact(Connection c, ReplicationFollower.AppliedGraph copy) throws SQLException {
        if (!tryLock(c)) {
            c.rollback();
            return new Compaction(false, 0, 0, 0, 0);
        }
        long stored;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT position FROM " + schema.snapshotAt + " FOR UPDATE")) {
            rs.next();
            stored = rs.getLong(1);
        }
        int written = 0;
        if (copy.position() > stored) {
            written = writeSnapshot(c, copy);
            stored = copy.position();
        }
        long horizon = horizon(c, stored);
        long deleted;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + schema.log + " WHERE seq <= ?")) {
            ps.setLong(1, horizon);
            deleted = ps.executeLargeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + schema.snapshotAt
                + " SET truncated = GREATEST(truncated, ?)")) {
            ps.setLong(1, horizon);
            ps.executeUpdate();
        }
        forgetDeadReplicas(c);
        c.commit();
        return new Compaction(true, stored, written, horizon, deleted);
    }

    private boolean tryLock(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_try_advisory_xact_lock(" + schema.compactionLockKey() + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Replaces the snapshot with {@code copy} and records its position; returns how many rows it wrote. */
    private int writeSnapshot(Connection c, ReplicationFollower.AppliedGraph copy) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM " + schema.snapshot); // not TRUNCATE: readers keep their MVCC view
        }
        int written = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema.snapshot + " (" + LogRows.COLUMNS
                + ", seq) VALUES (" + LogRows.PARAMETERS + ",?)")) {
            for (MetadataStore.Stored item : copy.items()) {
                long id = item.metadata().id();
                new LogRows.Row('U', item.item(), item.metadata(), null, null, null).bind(ps, id);
                ps.setLong(13, id);
                ps.addBatch();
                if (++written % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + schema.snapshotAt
                + " SET position = ?, taken_at = now()")) {
            ps.setLong(1, copy.position());
            ps.executeUpdate();
        }
        return written;
    }

    /** The position the log may be deleted through: the snapshot's, unless a live replica is behind it. */
    private long horizon(Connection c, long snapshotPosition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT min(applied) FROM " + schema.replicas
                + " WHERE seen_at > now() - make_interval(secs => ?)")) {
            ps.setLong(1, livenessWindow.toSeconds());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long live = rs.getLong(1);
                return rs.wasNull() ? snapshotPosition : Math.min(snapshotPosition, live);
            }
        }
    }

    /** Removes replicas not seen within the liveness window: a paused one that comes back registers again. */
    private void forgetDeadReplicas(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + schema.replicas
                + " WHERE seen_at < now() - make_interval(secs => ?)")) {
            ps.setLong(1, livenessWindow.toSeconds());
            ps.executeUpdate();
        }
    }

    /** Cancels the schedule, interrupting a compaction in progress. */
    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
