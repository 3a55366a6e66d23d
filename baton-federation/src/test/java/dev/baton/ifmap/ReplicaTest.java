package dev.baton.ifmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.ifmap.server.IfmapServerConfig;
import dev.baton.ifmap.server.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two federation servers that are replicas through the PostgreSQL on 127.0.0.1:5432 (database {@code test},
 * user {@code postgres}): a subscriber on one, a publisher on the other, claims racing across replicas, and
 * a replica that goes down and comes back, and compaction of the shared log. Fails when PostgreSQL is missing unless
 * {@code -Dbaton.allowSkip=true}.
 */
class ReplicaTest {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    @TempDir
    Path dir;
    String name;
    final List<IfmapServer> servers = new ArrayList<>();
    final List<FederationClient> clients = new ArrayList<>();

    @BeforeEach
    void database() {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.isValid(2);
        } catch (SQLException e) {
            if (Boolean.getBoolean("baton.allowSkip")) {
                Assumptions.abort("PostgreSQL not reachable at " + URL + ": " + e.getMessage());
            }
            throw new AssertionError("PostgreSQL must run at " + URL + " (or set -Dbaton.allowSkip=true)", e);
        }
        name = "ifmap_t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    @AfterEach
    void cleanUp() throws SQLException {
        clients.forEach(FederationClient::close);
        servers.forEach(IfmapServer::stop);
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + name + "_log, " + name + "_claims, " + name + "_snapshot, "
                    + name + "_snapshot_at, " + name + "_replicas");
        }
    }

    IfmapServer replica(String sub) {
        IfmapServer s = TestServers.builder(dir.resolve(sub))
                .replicas(new IfmapServerConfig.Replicas(URL + "?ApplicationName=" + name, "postgres", "", name))
                .build().start();
        servers.add(s);
        return s;
    }

    long sql(String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(query.replace("NAME", name))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void execute(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute(statement.replace("NAME", name));
        }
    }

    /** Compacts through {@code r} until the log is truncated through {@code seq} (replicas report once a second). */
    long compactThrough(IfmapServer r, long seq) {
        long[] truncated = {-1};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            truncated[0] = TestServers.compactReplicaLog(r);
            return truncated[0] >= seq;
        });
        return truncated[0];
    }

    FederationClient client(IfmapServer s, String gateway) {
        FederationClient c = FederationClientTest.client(s, gateway);
        clients.add(c);
        return c;
    }

    @Test
    void subscriberOnOneReplicaHearsOfAClaimPublishedOnTheOther() {
        IfmapServer r1 = replica("r1");
        IfmapServer r2 = replica("r2");
        FederationClient gwA = client(r1, "gw-a");
        FederationClient gwB = client(r2, "gw-b");
        ConcurrentLinkedQueue<SessionIdHash> lost = new ConcurrentLinkedQueue<>();
        gwA.onOwnershipLost((lostHash, newOwner) -> lost.add(lostHash));

        SessionIdHash hash = FederationClientTest.randomHash();
        gwA.publishSession(FederationClientTest.session(hash, "gw-a"), Set.of("hc"));
        FederatedSession seen = gwB.lookup(hash).orElseThrow();
        assertThat(seen.owner()).isEqualTo("gw-a");
        assertThat(gwB.claim(seen, seen.asSession().migratedTo("gw-b", "Users", Set.of("b"), false,
                seen.startTime()), Set.of())).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> lost.contains(hash));
        assertThat(gwA.lookup(hash).orElseThrow().owner()).isEqualTo("gw-b");
    }

    @Test
    void gatewaysRacingOnDifferentReplicasHaveExactlyOneWinner() throws Exception {
        IfmapServer r1 = replica("r1");
        IfmapServer r2 = replica("r2");
        FederationClient gwA = client(r1, "gw-a");
        FederationClient gwB = client(r1, "gw-b");
        FederationClient gwC = client(r2, "gw-c");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                SessionIdHash hash = FederationClientTest.randomHash();
                gwA.publishSession(FederationClientTest.session(hash, "gw-a"), Set.of());
                FederatedSession seenByB = gwB.lookup(hash).orElseThrow();
                FederatedSession seenByC = gwC.lookup(hash).orElseThrow();
                CountDownLatch go = new CountDownLatch(1);
                Future<Boolean> b = pool.submit(() -> {
                    go.await();
                    return gwB.claim(seenByB, seenByB.asSession().migratedTo("gw-b", "Users", Set.of(), false,
                            seenByB.startTime()), Set.of());
                });
                Future<Boolean> c = pool.submit(() -> {
                    go.await();
                    return gwC.claim(seenByC, seenByC.asSession().migratedTo("gw-c", "Users", Set.of(), false,
                            seenByC.startTime()), Set.of());
                });
                go.countDown();
                boolean bWon = b.get();
                boolean cWon = c.get();
                assertThat(bWon ^ cWon).as("exactly one winner in round %d", round).isTrue();
                String winner = bWon ? "gw-b" : "gw-c";
                assertThat(gwA.lookup(hash).orElseThrow().owner()).isEqualTo(winner);
                assertThat(gwC.lookup(hash).orElseThrow().owner()).isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void replicasSurviveLosingEveryDatabaseConnection() throws SQLException {
        IfmapServer r1 = replica("r1");
        IfmapServer r2 = replica("r2");
        FederationClient gwA = client(r1, "gw-a");
        FederationClient gwB = client(r2, "gw-b");
        ConcurrentLinkedQueue<SessionIdHash> lost = new ConcurrentLinkedQueue<>();
        gwA.onOwnershipLost((lostHash, newOwner) -> lost.add(lostHash));
        SessionIdHash hash = FederationClientTest.randomHash();
        gwA.publishSession(FederationClientTest.session(hash, "gw-a"), Set.of());

        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                    + " AND application_name = '" + name + "'");
        }
        FederatedSession seen = gwB.lookup(hash).orElseThrow();
        assertThat(gwB.claim(seen, seen.asSession().migratedTo("gw-b", "Users", Set.of(), false, seen.startTime()),
                Set.of())).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> lost.contains(hash));
    }

    @Test
    void replicaThatWasDownCatchesUpAndLosesNothing() {
        IfmapServer r1 = replica("r1");
        IfmapServer r2 = replica("r2");
        FederationClient gwA = client(r1, "gw-a");
        SessionIdHash before = FederationClientTest.randomHash();
        gwA.publishSession(FederationClientTest.session(before, "gw-a"), Set.of());

        r2.stop();
        SessionIdHash whileDown = FederationClientTest.randomHash();
        gwA.publishSession(FederationClientTest.session(whileDown, "gw-a"), Set.of("posture-ok"));

        IfmapServer back = replica("r2");
        FederationClient gwB = client(back, "gw-b");
        assertThat(gwB.lookup(before)).isPresent();
        assertThat(gwB.lookup(whileDown).orElseThrow().capabilities()).containsExactly("posture-ok");
    }

    @Test
    void compactionShrinksTheLogAndANewReplicaSeesExactlyTheSameGraph() throws Exception {
        IfmapServer r1 = replica("r1");
        IfmapServer r2 = replica("r2");
        FederationClient gwA = client(r1, "gw-a");
        FederationClient gwB = client(r2, "gw-b");
        List<SessionIdHash> kept = new ArrayList<>();
        List<SessionIdHash> withdrawn = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            SessionIdHash hash = FederationClientTest.randomHash();
            gwA.publishSession(FederationClientTest.session(hash, "gw-a"), Set.of("hc"));
            gwA.update(FederationClientTest.session(hash, "gw-a"), Set.of("hc", "round-" + i)); // replaces, log grows
            (i % 3 == 0 ? withdrawn : kept).add(hash);
        }
        withdrawn.forEach(gwA::withdraw);
        SessionIdHash claimed = kept.getFirst();
        FederatedSession stale = gwB.lookup(claimed).orElseThrow();
        assertThat(gwB.claim(stale, stale.asSession().migratedTo("gw-b", "Users", Set.of("b"), false,
                stale.startTime()), Set.of())).isTrue();
        assertThat(TestServers.publishSessionMetadata(r2, "carol", "carol-device", "guest")).contains("publishReceived");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(TestServers.graph(r1))
                .isEqualTo(TestServers.graph(r2)));
        List<String> graph = TestServers.graph(r1);
        assertThat(graph).anyMatch(l -> l.contains(" forever ")).anyMatch(l -> l.contains(" session "));
        long rowsBefore = sql("SELECT count(*) FROM NAME_log");
        long claimsBefore = sql("SELECT count(*) FROM NAME_claims");
        long last = sql("SELECT max(seq) FROM NAME_log");

        long truncated = compactThrough(r1, last);

        assertThat(truncated).isEqualTo(last);
        assertThat(sql("SELECT count(*) FROM NAME_log")).isZero();
        assertThat(rowsBefore).isGreaterThan(graph.size()); // the log held more than the graph: compaction paid off
        assertThat(sql("SELECT count(*) FROM NAME_snapshot")).isEqualTo(graph.size());
        assertThat(sql("SELECT count(*) FROM NAME_claims")).isEqualTo(claimsBefore).isPositive();

        IfmapServer r3 = replica("r3");
        assertThat(TestServers.graph(r3)).isEqualTo(graph);
        FederationClient gwC = client(r3, "gw-c");
        for (SessionIdHash hash : kept) {
            FederatedSession seen = gwC.lookup(hash).orElseThrow();
            assertThat(seen.owner()).isEqualTo(hash.equals(claimed) ? "gw-b" : "gw-a");
        }
        for (SessionIdHash hash : withdrawn) {
            assertThat(gwC.lookup(hash)).isEmpty();
        }
        // the generation gw-b took is still taken, on the new replica too
        assertThat(gwC.claim(stale, stale.asSession().migratedTo("gw-c", "Users", Set.of(), false,
                stale.startTime()), Set.of())).isFalse();
        assertThat(gwC.lookup(claimed).orElseThrow().owner()).isEqualTo("gw-b");
        // and the replicas keep agreeing on changes after the compaction
        SessionIdHash after = FederationClientTest.randomHash();
        gwC.publishSession(FederationClientTest.session(after, "gw-c"), Set.of());
        assertThat(gwA.lookup(after).orElseThrow().owner()).isEqualTo("gw-c");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(TestServers.graph(r1))
                .isEqualTo(TestServers.graph(r3)).isEqualTo(TestServers.graph(r2)));
    }

    @Test
    void replicaStoppedBeforeCompactionComesBackWithEverything() throws Exception {
        IfmapServer r1 = replica("r1");
        IfmapServer r2 = replica("r2");
        FederationClient gwA = client(r1, "gw-a");
        SessionIdHash before = FederationClientTest.randomHash();
        gwA.publishSession(FederationClientTest.session(before, "gw-a"), Set.of());
        SessionIdHash gone = FederationClientTest.randomHash();
        gwA.publishSession(FederationClientTest.session(gone, "gw-a"), Set.of());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(TestServers.graph(r2))
                .isEqualTo(TestServers.graph(r1)));
        long r2Applied = sql("SELECT max(seq) FROM NAME_log");

        r2.stop();
        SessionIdHash whileDown = FederationClientTest.randomHash();
        gwA.publishSession(FederationClientTest.session(whileDown, "gw-a"), Set.of("posture-ok"));
        gwA.withdraw(gone);
        long truncated = compactThrough(r1, sql("SELECT max(seq) FROM NAME_log"));
        assertThat(truncated).isGreaterThan(r2Applied);
        assertThat(sql("SELECT count(*) FROM NAME_log")).isZero(); // what r2 had not applied is gone from the log
        SessionIdHash afterCompaction = FederationClientTest.randomHash();
        gwA.publishSession(FederationClientTest.session(afterCompaction, "gw-a"), Set.of());
        assertThat(sql("SELECT min(seq) FROM NAME_log")).isGreaterThan(truncated);

        IfmapServer back = replica("r2");
        assertThat(TestServers.graph(back)).isEqualTo(TestServers.graph(r1));
        FederationClient gwB = client(back, "gw-b");
        assertThat(gwB.lookup(before)).isPresent();
        assertThat(gwB.lookup(whileDown).orElseThrow().capabilities()).containsExactly("posture-ok");
        assertThat(gwB.lookup(afterCompaction)).isPresent();
        assertThat(gwB.lookup(gone)).isEmpty();
    }

    @Test
    void liveButLaggingReplicaHoldsTheLogBackAndADeadOneDoesNot() throws Exception {
        IfmapServer r1 = replica("r1");
        FederationClient gwA = client(r1, "gw-a");
        for (int i = 0; i < 5; i++) {
            gwA.publishSession(FederationClientTest.session(FederationClientTest.randomHash(), "gw-a"), Set.of());
        }
        long lagging = sql("SELECT max(seq) FROM NAME_log");
        execute("INSERT INTO NAME_replicas VALUES ('lagging', " + lagging + ", now()),"
                + " ('dead', 0, now() - interval '1 hour')");
        for (int i = 0; i < 5; i++) {
            gwA.publishSession(FederationClientTest.session(FederationClientTest.randomHash(), "gw-a"), Set.of());
        }
        long last = sql("SELECT max(seq) FROM NAME_log");
        long unapplied = sql("SELECT count(*) FROM NAME_log WHERE seq > " + lagging);
        assertThat(unapplied).isPositive();

        long truncated = compactThrough(r1, lagging);

        assertThat(truncated).isEqualTo(lagging); // held back by 'lagging' (live), not by 'dead' (position 0)
        assertThat(sql("SELECT count(*) FROM NAME_log WHERE seq <= " + lagging)).isZero();
        assertThat(sql("SELECT count(*) FROM NAME_log WHERE seq > " + lagging)).isEqualTo(unapplied);
        assertThat(sql("SELECT count(*) FROM NAME_replicas WHERE replica_id = 'dead'")).isZero();
        assertThat(sql("SELECT position FROM NAME_snapshot_at")).isEqualTo(last);

        execute("UPDATE NAME_replicas SET applied = " + last + ", seen_at = now() WHERE replica_id = 'lagging'");
        assertThat(compactThrough(r1, last)).isEqualTo(last);
        assertThat(sql("SELECT count(*) FROM NAME_log")).isZero();
    }

    @Test
    void runningReplicaWhoseRowsWereCompactedAwayReloadsAndItsSubscribersHearTheDifference() throws Exception {
        IfmapServer r1 = replica("r1");
        IfmapServer r2 = replica("r2");
        FederationClient gwA = client(r1, "gw-a");
        FederationClient gwB = client(r2, "gw-b");
        ConcurrentLinkedQueue<SessionIdHash> lost = new ConcurrentLinkedQueue<>();
        gwB.onOwnershipLost((lostHash, newOwner) -> lost.add(lostHash));
        SessionIdHash taken = FederationClientTest.randomHash();
        gwB.publishSession(FederationClientTest.session(taken, "gw-b"), Set.of());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(TestServers.graph(r1))
                .isEqualTo(TestServers.graph(r2)));
        SessionIdHash newer = FederationClientTest.randomHash();

        long truncated = TestServers.whileReplicaPaused(r2, () -> {
            FederatedSession seen = gwA.lookup(taken).orElseThrow();
            assertThat(gwA.claim(seen, seen.asSession().migratedTo("gw-a", "Users", Set.of(), false,
                    seen.startTime()), Set.of())).isTrue();
            gwA.publishSession(FederationClientTest.session(newer, "gw-a"), Set.of());
            // r2 stalls past the liveness window: it no longer holds the log back
            execute("UPDATE NAME_replicas SET seen_at = now() - interval '1 hour'");
            long t = compactThrough(r1, sql("SELECT max(seq) FROM NAME_log"));
            assertThat(sql("SELECT count(*) FROM NAME_log")).isZero();
            assertThat(TestServers.graph(r2)).isNotEqualTo(TestServers.graph(r1));
            return t;
        });

        assertThat(truncated).isPositive();
        await().atMost(Duration.ofSeconds(30)).until(() -> lost.contains(taken));
        assertThat(TestServers.graph(r2)).isEqualTo(TestServers.graph(r1));
        assertThat(gwB.lookup(newer).orElseThrow().owner()).isEqualTo("gw-a");
    }
}
