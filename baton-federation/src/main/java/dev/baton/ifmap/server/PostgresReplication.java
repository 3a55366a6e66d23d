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
 * whole publish with the same ownership conflict ({@link IfmapException#ownershipConflict}) as a single server. A delete without filter
 * of an item releases its claims.
 *
 * <p>Retention and compaction: every replica records in {@code NAME_replicas} how far it has applied the
 * log (its id is random per start; the follower reports at most once a second, stamped with the database's
 * clock, and a clean stop removes the row). Every compaction interval each replica tries to compact, one at
 * a time (a second advisory lock, tried, never waited for, so publishes are not held up): it copies its
 * graph while holding the read lock, so no replicated change is applied during the copy and the copy is
 * exactly the graph as of its applied position S; then, in one transaction, it replaces {@code
 * NAME_snapshot} (every metadata element of either lifetime, with its publisher and its id, in the log's
 * row format) and records S, deletes the log rows up to min(S, the smallest position reported by the
 * replicas seen within the liveness window) and records that truncation point T. Replicas not seen
 * within the window (crashed, stopped) do not hold the log back. A snapshot no newer than the stored one is
 * not written again; only the deletion step runs.
 *
 * <p>A replica that starts loads the snapshot and applies the log rows past S. Every read of the log
 * returns T in the same statement, so a replica whose position is below T knows that rows it needs are
 * gone: one that was not seen for the liveness window (a long pause, a partition), or one that was
 * starting while another compacted. It never skips them: it reloads, replacing its whole graph with the
 * snapshot (position at least T) in one atomic step under the service lock and re-running its
 * subscriptions, whose subscribers get the differences as update and delete results, and continues from
 * the snapshot's position. This is safe where failing would only defer the same reload to a restart: the
 * graph afterwards is exactly every other replica's graph at S. Only notify operations in the deleted
 * range, which never changed the graph, are not delivered to this replica's subscribers; a warning says so.
 *
 * <p>Compaction leaves the claims table alone: claims are not derived from the log but are the
 * compare-and-set authority, written in the same transaction as the log rows they go with, and a claim of
 * an item that is gone (a filtered delete or a purge does not release it) still makes a stale claim of
 * that generation fail, so removing it could let a lost race win. Claims of items deleted without a
 * filter are released as before.
 *
 * <p>Limits: each compaction writes the whole graph (a cost proportional to the graph, not to the log);
 * the deleted log rows are reclaimed by PostgreSQL's autovacuum; session-lifetime metadata of a replica
 * that crashed stays until its publisher purges it. Thread-safe.
 */
final class PostgresReplication implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresReplication.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    private final String url;
    private final String user;
    private final String password;
    private final String log;
    private final String claims;
    private final String snapshot;
    private final String snapshotAt;
    private final String replicas;
    private final String channel;
    private final String replicaId = java.util.UUID.randomUUID().toString();
    private final java.time.Duration compactionInterval;
    private final java.time.Duration livenessWindow;
    private final Object compactLock = new Object();
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
    private long lastReport;
    private java.util.concurrent.ScheduledExecutorService compactor;

    /** What one {@link #compact()} did: whether it ran (another replica may have held the lock). */
    record Compaction(boolean ran, long snapshotPosition, int snapshotRows, long truncatedThrough, long deletedRows) {
    }

    /**
     * Replication through the database at {@code url}; {@code name} (lower-case letters, digits and
     * underscores) names the tables and the notification channel, so several federations can share one
     * database. Compaction is tried every {@code compactionInterval}; a replica not seen for {@code
     * livenessWindow} does not hold the log back.
     */
    PostgresReplication(String url, String user, String password, String name, java.time.Duration compactionInterval,
                        java.time.Duration livenessWindow) {
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
        this.compactionInterval = compactionInterval;
        this.livenessWindow = livenessWindow;
    }

    /**
     * Creates the tables if needed, loads the snapshot and the log past it into {@code target}, starts
     * following the log and schedules compaction.
     */
    void start(MapService target) {
        this.service = target;
        try {
            writer = connect(false);
            try (Statement st = writer.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + lockKey() + ")");
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
            writer.commit();
            listen();
        } catch (SQLException e) {
            throw new BatonException(ResultCode.UNAVAILABLE, "replication database " + url + " unavailable: "
                    + e.getMessage(), e);
        }
        catchUp(true);
        try {
            report(listener, true); // registered before the first compaction can consider this replica
        } catch (SQLException e) {
            LOG.warn("replica position not recorded yet ({}); the follower retries", e.getMessage());
        }
        thread = Thread.ofPlatform().name("ifmap-replication-" + channel).daemon().start(this::follow);
        compactor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("ifmap-compaction-" + channel).daemon().factory());
        long every = compactionInterval.toMillis();
        // a random first delay spreads the replicas' attempts over the interval
        compactor.scheduleWithFixedDelay(this::compactQuietly,
                every / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(every / 2 + 1), every,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Appends {@code ops} as one change, claiming {@code claimed} generations first, and returns once this
     * replica has applied it.
     *
     * @throws IfmapException an {@link IfmapException#ownershipConflict} when a claim was taken, {@code SystemError}
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
            if (op instanceof GraphOp.Remove r && r.filter() == null && r.onlyPublisher() == null) {
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
                    throw IfmapException.ownershipConflict("generation "
                            + claim.generation() + " of " + claim.item() + " was already claimed");
                }
            }
        }
        long batch = -1;
        long last = 0;
        String insert = "INSERT INTO " + log + " (" + LogRows.COLUMNS + ") VALUES (" + LogRows.PARAMETERS + ") RETURNING seq";
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
        catchUp(false);
    }

    private void catchUp(boolean fromSnapshot) {
        synchronized (readLock) {
            for (int attempt = 0; ; attempt++) {
                try {
                    if (reader == null || reader.isClosed()) {
                        reader = connect(true);
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

    /**
     * Applies the next whole batches of log rows; returns how many, 0 when caught up. Reloads the snapshot
     * first when compaction deleted rows this replica had not applied.
     */
    private int readBatchOfRows() throws SQLException {
        Map<Long, List<GraphOp>> batches = new LinkedHashMap<>();
        long lastSeq = applied;
        long truncated = 0;
        // Whole batches only: every row up to the batch of the 5000th unapplied row (applied is a batch end).
        // The truncation point comes in the same statement, so it and the rows are one consistent view.
        try (PreparedStatement ps = reader.prepareStatement("SELECT l.*, a.truncated FROM " + snapshotAt
                + " a LEFT JOIN (SELECT seq, " + LogRows.COLUMNS + " FROM " + log + " WHERE seq > ? AND batch <="
                + " (SELECT max(batch) FROM (SELECT batch FROM " + log + " WHERE seq > ? ORDER BY seq LIMIT 5000)"
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
        if (truncated > applied) {
            LOG.warn("replication log rows {}..{} this replica had not applied were compacted away (it was not seen"
                    + " for {} s or was starting); reloading the snapshot. Notify results in that range are not"
                    + " delivered here.", applied + 1, truncated, livenessWindow.toSeconds());
            if (!reload()) {
                throw new SQLException("log truncated through " + truncated + " but the snapshot is older");
            }
            return 1;
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

    /**
     * Replaces this replica's graph with the snapshot and sets its position to the snapshot's, both read
     * in one repeatable-read transaction; false if the snapshot is not newer than this replica's graph.
     * Holds the read lock (no replicated change is applied meanwhile).
     */
    private boolean reload() throws SQLException {
        long position;
        List<MetadataStore.Stored> items = new ArrayList<>();
        reader.setAutoCommit(false);
        reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            try (Statement st = reader.createStatement();
                 ResultSet rs = st.executeQuery("SELECT position FROM " + snapshotAt)) {
                position = rs.next() ? rs.getLong(1) : 0;
            }
            if (position <= applied) {
                reader.commit();
                return false; // nothing newer than this replica's graph (a fresh start with no snapshot yet)
            }
            try (PreparedStatement ps = reader.prepareStatement("SELECT seq, " + LogRows.COLUMNS + " FROM " + snapshot
                    + " ORDER BY seq")) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (LogRows.op(rs) instanceof GraphOp.Put p) {
                            items.add(new MetadataStore.Stored(p.item(), p.metadata().getFirst()));
                        }
                    }
                }
            }
            reader.commit();
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
        service.replaceGraph(items);
        synchronized (appliedSignal) {
            applied = position;
            appliedSignal.notifyAll();
        }
        LOG.info("loaded the replication snapshot at log position {}: {} metadata elements", position, items.size());
        return true;
    }

    /** Records this replica's applied position and that it is alive, at most once a second. */
    private void report(Connection c, boolean now) throws SQLException {
        long t = System.nanoTime();
        if (!now && t - lastReport < 1_000_000_000L) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + replicas + " (replica_id, applied, seen_at)"
                + " VALUES (?, ?, now()) ON CONFLICT (replica_id) DO UPDATE SET applied = EXCLUDED.applied,"
                + " seen_at = EXCLUDED.seen_at")) {
            ps.setString(1, replicaId);
            ps.setLong(2, applied);
            ps.executeUpdate();
        }
        lastReport = t;
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
                    compactionInterval.toSeconds());
        }
    }

    /**
     * Compacts the log now unless another replica is compacting: writes the snapshot of this replica's
     * graph (unless the stored one is as new), then deletes the log rows every live replica has applied.
     * Package-private so tests can trigger it.
     *
     * @throws IfmapException {@code SystemError} when the database cannot be reached
     */
    Compaction compact() {
        synchronized (compactLock) {
            // The graph as of position s, copied while no replicated change can be applied.
            long s;
            List<MetadataStore.Stored> items;
            synchronized (readLock) {
                s = applied;
                items = service.snapshot();
            }
            try (Connection c = connect(false)) {
                try {
                    return compact(c, s, items);
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw new IfmapException(IfmapError.SystemError, "replication log compaction failed: " + e.getMessage());
            }
        }
    }

    private Compaction compact(Connection c, long s, List<MetadataStore.Stored> items) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_try_advisory_xact_lock(" + compactionLockKey() + ")")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                c.rollback();
                return new Compaction(false, 0, 0, 0, 0);
            }
        }
        long stored;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT position FROM " + snapshotAt + " FOR UPDATE")) {
            rs.next();
            stored = rs.getLong(1);
        }
        int written = 0;
        if (s > stored) {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM " + snapshot); // not TRUNCATE: readers keep their MVCC view
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + snapshot + " (" + LogRows.COLUMNS
                    + ", seq) VALUES (" + LogRows.PARAMETERS + ",?)")) {
                for (MetadataStore.Stored item : items) {
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
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + snapshotAt
                    + " SET position = ?, taken_at = now()")) {
                ps.setLong(1, s);
                ps.executeUpdate();
            }
            stored = s;
        }
        long horizon = stored;
        try (PreparedStatement ps = c.prepareStatement("SELECT min(applied) FROM " + replicas
                + " WHERE seen_at > now() - make_interval(secs => ?)")) {
            ps.setLong(1, livenessWindow.toSeconds());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long live = rs.getLong(1);
                if (!rs.wasNull()) {
                    horizon = Math.min(horizon, live);
                }
            }
        }
        long deleted;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + log + " WHERE seq <= ?")) {
            ps.setLong(1, horizon);
            deleted = ps.executeLargeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + snapshotAt
                + " SET truncated = GREATEST(truncated, ?)")) {
            ps.setLong(1, horizon);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + replicas
                + " WHERE seen_at < now() - make_interval(secs => ?)")) {
            ps.setLong(1, livenessWindow.toSeconds());
            ps.executeUpdate(); // dead replicas: a paused one that comes back registers again
        }
        c.commit();
        return new Compaction(true, stored, written, horizon, deleted);
    }

    /**
     * Runs {@code action} while this replica applies no replicated change, as a replica stalled by a long
     * pause would; for tests.
     */
    <T> T whilePaused(java.util.concurrent.Callable<T> action) throws Exception {
        synchronized (readLock) {
            return action.call();
        }
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
                report(listener, false);
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

    private long compactionLockKey() {
        return ((long) channel.hashCode() << 32) | 0x636f6d70L; // "comp": another key than lockKey's
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
        if (compactor != null) {
            compactor.shutdownNow();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (writeLock) {
            try {
                // a replica that stops cleanly no longer holds the log back
                Connection c = writer();
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + replicas + " WHERE replica_id = ?")) {
                    ps.setString(1, replicaId);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                LOG.debug("removing this replica from {} failed", replicas, e);
            }
            closeQuietly(writer);
        }
        synchronized (readLock) {
            closeQuietly(reader);
        }
        closeQuietly(listener);
    }
}
