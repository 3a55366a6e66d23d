package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.ifmap.model.IfmapException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

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
 * that crashed stays until its publisher purges it.
 *
 * <p>This class wires the parts: {@link ReplicationSchema} (the tables), {@link ReplicationWriter} (appends),
 * {@link ReplicationFollower} (applies the log to this replica's graph) and {@link ReplicationCompactor}.
 * Thread-safe.
 */
final class PostgresReplication implements AutoCloseable {
    private final ReplicationSchema schema;
    private final ReplicationWriter writer;
    private final ReplicationFollower follower;
    private final ReplicationCompactor compactor;

    /**
     * Replication through the database at {@code url}; {@code name} (lower-case letters, digits and
     * underscores) names the tables and the notification channel, so several federations can share one
     * database. Compaction is tried every {@code compactionInterval}; a replica not seen for {@code
     * livenessWindow} does not hold the log back.
     */
    PostgresReplication(String url, String user, String password, String name, Duration compactionInterval,
                        Duration livenessWindow) {
        this.schema = new ReplicationSchema(url, user, password, name);
        this.writer = new ReplicationWriter(schema);
        this.follower = new ReplicationFollower(schema, livenessWindow);
        this.compactor = new ReplicationCompactor(schema, compactionInterval, livenessWindow, follower::copyGraph);
    }

    /**
     * Creates the tables if needed, loads the snapshot and the log past it into {@code target}, starts
     * following the log and schedules compaction.
     */
    void start(MapService target) {
        try {
            writer.createTables();
            follower.listen();
        } catch (SQLException e) {
            throw new BatonException(ResultCode.UNAVAILABLE, "replication database " + schema.url() + " unavailable: "
                    + e.getMessage(), e);
        }
        follower.start(target);
        compactor.start();
    }

    /**
     * Appends {@code ops} as one change, claiming {@code claimed} generations first, and returns once this
     * replica has applied it.
     *
     * @throws IfmapException an {@link IfmapException#ownershipConflict} when a claim was taken, {@code SystemError}
     *                        when the database cannot be reached
     */
    void append(List<GraphOp> ops, List<OwnershipRule.Claim> claimed) {
        follower.awaitApplied(writer.append(ops, claimed));
    }

    /** Applies every log row this replica has not applied yet; see {@link ReplicationFollower#catchUp}. */
    void catchUp() {
        follower.catchUp();
    }

    /**
     * Compacts the log now unless another replica is compacting; see {@link ReplicationCompactor#compact()}.
     * Package-private so tests can trigger it.
     */
    ReplicationCompactor.Compaction compact() {
        return compactor.compact();
    }

    /**
     * Runs {@code action} while this replica applies no replicated change, as a replica stalled by a long
     * pause would; for tests.
     */
    <T> T whilePaused(Callable<T> action) throws Exception {
        return follower.whilePaused(action);
    }

    @Override
    public void close() {
        compactor.close();
        follower.stop();
        writer.close(follower.replicaId());
        follower.close();
    }
}
