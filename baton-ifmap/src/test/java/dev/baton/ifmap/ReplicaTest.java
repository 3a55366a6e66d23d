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
 * a replica that goes down and comes back. Fails when PostgreSQL is missing unless
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
            st.execute("DROP TABLE IF EXISTS " + name + "_log, " + name + "_claims");
        }
    }

    IfmapServer replica(String sub) {
        IfmapServer s = TestServers.builder(dir.resolve(sub))
                .replicas(new IfmapServerConfig.Replicas(URL + "?ApplicationName=" + name, "postgres", "", name))
                .build().start();
        servers.add(s);
        return s;
    }

    FederationClient client(IfmapServer s, String user, String gateway) {
        FederationClient c = FederationClientTest.client(s, user, gateway);
        clients.add(c);
        return c;
    }

    @Test
    void subscriberOnOneReplicaHearsOfAClaimPublishedOnTheOther() {
        IfmapServer r1 = replica("r1");
        IfmapServer r2 = replica("r2");
        FederationClient gwA = client(r1, "alice", "gw-a");
        FederationClient gwB = client(r2, "bob", "gw-b");
        ConcurrentLinkedQueue<SessionIdHash> lost = new ConcurrentLinkedQueue<>();
        gwA.onOwnershipLost(lost::add);

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
        FederationClient gwA = client(r1, "alice", "gw-a");
        FederationClient gwB = client(r1, "bob", "gw-b");
        FederationClient gwC = client(r2, "carol", "gw-c");
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
        FederationClient gwA = client(r1, "alice", "gw-a");
        FederationClient gwB = client(r2, "bob", "gw-b");
        ConcurrentLinkedQueue<SessionIdHash> lost = new ConcurrentLinkedQueue<>();
        gwA.onOwnershipLost(lost::add);
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
        FederationClient gwA = client(r1, "alice", "gw-a");
        SessionIdHash before = FederationClientTest.randomHash();
        gwA.publishSession(FederationClientTest.session(before, "gw-a"), Set.of());

        r2.stop();
        SessionIdHash whileDown = FederationClientTest.randomHash();
        gwA.publishSession(FederationClientTest.session(whileDown, "gw-a"), Set.of("posture-ok"));

        IfmapServer back = replica("r2");
        FederationClient gwB = client(back, "bob", "gw-b");
        assertThat(gwB.lookup(before)).isPresent();
        assertThat(gwB.lookup(whileDown).orElseThrow().capabilities()).containsExactly("posture-ok");
    }
}
