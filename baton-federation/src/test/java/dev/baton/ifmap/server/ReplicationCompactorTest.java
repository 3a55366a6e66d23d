package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.Item;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Compaction on its own, against the PostgreSQL on 127.0.0.1:5432 (database {@code test}): which log rows it
 * deletes, which replicas hold the log back, when the snapshot is rewritten, and that one compaction runs at a
 * time. Fails when PostgreSQL is missing unless {@code -Dbaton.allowSkip=true}.
 */
class ReplicationCompactorTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final Item ITEM = Item.of(Identifier.accessRequest("ar-1"));

    private String name;
    private ReplicationSchema schema;
    private ReplicationWriter writer;
    private ReplicationCompactor compactor;

    @BeforeEach
    void tables() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.isValid(2);
        } catch (SQLException e) {
            if (Boolean.getBoolean("baton.allowSkip")) {
                Assumptions.abort("PostgreSQL not reachable at " + URL + ": " + e.getMessage());
            }
            throw new AssertionError("PostgreSQL must run at " + URL + " (or set -Dbaton.allowSkip=true)", e);
        }
        name = "ifmap_c" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        schema = new ReplicationSchema(URL, "postgres", "", name);
        writer = new ReplicationWriter(schema);
        writer.createTables();
        compactor = new ReplicationCompactor(schema, Duration.ofHours(1), Duration.ofSeconds(60), () -> {
            throw new AssertionError("the tests give the graph");
        });
    }

    @AfterEach
    void dropTables() throws SQLException {
        writer.close("none");
        execute("DROP TABLE IF EXISTS NAME_log, NAME_claims, NAME_snapshot, NAME_snapshot_at, NAME_replicas");
    }

    @Test
    void deletesTheRowsEveryLiveReplicaHasAppliedAndForgetsDeadReplicas() throws SQLException {
        writer.append(List.of(new GraphOp.Purge("a", false)), List.of());
        long second = writer.append(List.of(new GraphOp.Purge("b", false)), List.of());
        long third = writer.append(List.of(new GraphOp.Purge("c", false)), List.of());
        execute("INSERT INTO NAME_replicas VALUES ('live', " + second + ", now()),"
                + " ('dead', 0, now() - interval '1 hour')");

        ReplicationCompactor.Compaction c = compactor.compact(graphAt(third));

        assertThat(c).isEqualTo(new ReplicationCompactor.Compaction(true, third, 1, second, 2));
        assertThat(query("SELECT count(*) FROM NAME_log")).isEqualTo(1);
        assertThat(query("SELECT min(seq) FROM NAME_log")).isEqualTo(third);
        assertThat(query("SELECT position FROM NAME_snapshot_at")).isEqualTo(third);
        assertThat(query("SELECT truncated FROM NAME_snapshot_at")).isEqualTo(second);
        assertThat(query("SELECT seq FROM NAME_snapshot")).isEqualTo(third); // a row's seq is its metadata id
        assertThat(query("SELECT count(*) FROM NAME_replicas WHERE replica_id = 'dead'")).isZero();
        assertThat(query("SELECT count(*) FROM NAME_replicas WHERE replica_id = 'live'")).isEqualTo(1);
    }

    @Test
    void aSnapshotNoNewerThanTheStoredOneIsNotWrittenAgainButTheLogIsStillTruncated() throws SQLException {
        long first = writer.append(List.of(new GraphOp.Purge("a", false)), List.of());
        long second = writer.append(List.of(new GraphOp.Purge("b", false)), List.of());
        compactor.compact(graphAt(second));

        ReplicationCompactor.Compaction older = compactor.compact(new ReplicationFollower.AppliedGraph(first, List.of()));

        assertThat(older).isEqualTo(new ReplicationCompactor.Compaction(true, second, 0, second, 0));
        assertThat(query("SELECT count(*) FROM NAME_snapshot")).isEqualTo(1);
        assertThat(query("SELECT position FROM NAME_snapshot_at")).isEqualTo(second);
    }

    @Test
    void doesNotRunWhileAnotherReplicaCompacts() throws SQLException {
        long seq = writer.append(List.of(new GraphOp.Purge("a", false)), List.of());
        try (Connection other = schema.connect(false); Statement st = other.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + schema.compactionLockKey() + ")");

            assertThat(compactor.compact(graphAt(seq)).ran()).isFalse();
            other.rollback();
        }
        assertThat(query("SELECT count(*) FROM NAME_log")).isEqualTo(1);
        assertThat(compactor.compact(graphAt(seq)).ran()).isTrue();
    }

    /** A graph of one metadata element, as of {@code position}. */
    private static ReplicationFollower.AppliedGraph graphAt(long position) {
        return new ReplicationFollower.AppliedGraph(position,
                List.of(new MetadataStore.Stored(ITEM, MetadataStoreContract.role(position, "r"))));
    }

    private long query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql.replace("NAME", name))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute(sql.replace("NAME", name));
        }
    }
}
