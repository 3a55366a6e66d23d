package dev.baton.ifmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.ifmap.server.TestServers;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gateways publishing, looking up and claiming sessions through a real federation server. */
class FederationClientTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    @TempDir
    static Path dir;
    static IfmapServer server;
    static FederationClient gwA;
    static FederationClient gwB;
    static FederationClient gwC;
    static final ConcurrentLinkedQueue<SessionIdHash> lostAtA = new ConcurrentLinkedQueue<>();
    /** Who took each session gw-a lost, as the loss named it. */
    static final java.util.Map<SessionIdHash, String> takenFromABy = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        server = TestServers.builder(dir).inMemoryOnly().build().start();
        gwA = client(server, "gw-a");
        gwB = client(server, "gw-b");
        gwC = client(server, "gw-c");
        gwA.onOwnershipLost((hash, newOwner) -> {
            takenFromABy.put(hash, newOwner);
            lostAtA.add(hash);
        });
    }

    @AfterAll
    static void stop() {
        gwA.close();
        gwB.close();
        gwC.close();
        server.stop();
    }

    static FederationClient client(IfmapServer server, String gateway) {
        return FederationClient.connect(FederationClientConfig.of(URI.create(server.url()), gateway,
                TestServers.USERS.get(gateway), TestServers.sslContext(server.certificate()), gateway)
                .withIntervals(Duration.ofSeconds(30), Duration.ofMillis(400)));
    }

    static SessionIdHash randomHash() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return SessionIdHash.parse(HexFormat.of().formatHex(b));
    }

    /** {@code count} new sessions published by gw-a, the i-th with {@code capabilities.apply(i)}. */
    static List<SessionIdHash> publishedByA(int count, java.util.function.IntFunction<Set<String>> capabilities) {
        List<SessionIdHash> published = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SessionIdHash h = randomHash();
            gwA.publishSession(session(h, "gw-a"), capabilities.apply(i));
            published.add(h);
        }
        return published;
    }

    static Session session(SessionIdHash hash, String owner) {
        return Session.start(hash, "jdoe", "Users", new AuthGroup("corp"), AuthServerKind.LDAP, Set.of("staff"),
                Map.of("department", List.of("eng", "ops"), "title", List.of("a < b & \"c\"")), T0, owner)
                .withAgentKey("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE");
    }

    @Test
    void publishedSessionIsFoundWithEverythingAReceivingGatewayNeeds() {
        SessionIdHash hash = randomHash();
        gwA.publishSession(session(hash, "gw-a"), Set.of("host-checker-ok"));
        FederatedSession found = gwB.lookup(hash).orElseThrow();
        assertThat(found.user()).isEqualTo("jdoe");
        assertThat(found.realm()).isEqualTo("Users");
        assertThat(found.authGroup()).isEqualTo(new AuthGroup("corp"));
        assertThat(found.authServerKind()).isEqualTo(AuthServerKind.LDAP);
        assertThat(found.startTime()).isEqualTo(T0);
        assertThat(found.attributes()).containsEntry("department", List.of("eng", "ops"))
                .containsEntry("title", List.of("a < b & \"c\""));
        assertThat(found.roles()).containsExactly("staff");
        assertThat(found.capabilities()).containsExactly("host-checker-ok");
        assertThat(found.agentKey()).isEqualTo("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE");
        assertThat(found.owner()).isEqualTo("gw-a");
        assertThat(found.generation()).isEqualTo(1);
        assertThat(gwB.lookup(randomHash())).isEmpty();
    }

    @Test
    void publishingAnAlreadyPublishedSessionIsAConflict() {
        SessionIdHash hash = randomHash();
        gwA.publishSession(session(hash, "gw-a"), Set.of());
        assertThatThrownBy(() -> gwB.publishSession(session(hash, "gw-b"), Set.of()))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFLICT));
    }

    @Test
    void claimMovesOwnershipAndTheOriginalGatewayLearnsItLost() {
        SessionIdHash hash = randomHash();
        gwA.publishSession(session(hash, "gw-a"), Set.of("hc"));
        FederatedSession seen = gwB.lookup(hash).orElseThrow();
        Session migrated = seen.asSession().migratedTo("gw-b", "Partners", Set.of("limited"), false, T0.plusSeconds(60));
        assertThat(gwB.claim(seen, migrated, Set.of())).isTrue();

        await().atMost(Duration.ofSeconds(60)).until(() -> lostAtA.contains(hash));
        assertThat(takenFromABy.get(hash)).as("the loss names the new owner").isEqualTo("gw-b");
        assertThat(gwA.owns(hash)).isFalse();
        assertThat(gwB.owns(hash)).isTrue();
        FederatedSession now = gwC.lookup(hash).orElseThrow();
        assertThat(now.owner()).isEqualTo("gw-b");
        assertThat(now.generation()).isEqualTo(2);
        assertThat(now.realm()).isEqualTo("Partners");
        assertThat(now.roles()).containsExactly("limited");
        assertThat(now.capabilities()).isEmpty();
        assertThat(now.startTime()).isEqualTo(T0);
    }

    @Test
    void ofTwoGatewaysRacingForOneSessionExactlyOneWinsInEveryRound() throws Exception {
        int rounds = 100;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<SessionIdHash> hashes = new ArrayList<>();
        try {
            for (int round = 0; round < rounds; round++) {
                SessionIdHash hash = randomHash();
                hashes.add(hash);
                gwA.publishSession(session(hash, "gw-a"), Set.of());
                FederatedSession seenByB = gwB.lookup(hash).orElseThrow();
                FederatedSession seenByC = gwC.lookup(hash).orElseThrow();
                CountDownLatch go = new CountDownLatch(1);
                Future<Boolean> b = pool.submit(() -> {
                    go.await();
                    return gwB.claim(seenByB, seenByB.asSession().migratedTo("gw-b", "Users", Set.of("b"), false, T0), Set.of());
                });
                Future<Boolean> c = pool.submit(() -> {
                    go.await();
                    return gwC.claim(seenByC, seenByC.asSession().migratedTo("gw-c", "Users", Set.of("c"), false, T0), Set.of());
                });
                go.countDown();
                boolean bWon = b.get();
                boolean cWon = c.get();
                assertThat(bWon ^ cWon).as("exactly one winner in round %d", round).isTrue();
                String winner = bWon ? "gw-b" : "gw-c";
                FederatedSession after = gwA.lookup(hash).orElseThrow();
                assertThat(after.owner()).isEqualTo(winner);
                assertThat(after.roles()).containsExactly(bWon ? "b" : "c");
                assertThat(gwB.owns(hash)).isEqualTo(bWon);
                assertThat(gwC.owns(hash)).isEqualTo(cWon);
            }
        } finally {
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> lostAtA.containsAll(hashes));
        assertThat(hashes).noneMatch(gwA::owns);
    }

    @Test
    void ownerUpdatesRolesAndActivityWithoutChangingOwnershipAndOthersMayNot() {
        SessionIdHash hash = randomHash();
        Session s = session(hash, "gw-a");
        gwA.publishSession(s, Set.of("hc"));
        gwA.update(s.withRoles(Set.of("admin", "staff"), false).touchedAt(T0.plusSeconds(300)), Set.of());
        FederatedSession now = gwB.lookup(hash).orElseThrow();
        assertThat(now.roles()).containsExactly("admin", "staff");
        assertThat(now.capabilities()).isEmpty();
        assertThat(now.lastActivity()).isEqualTo(T0.plusSeconds(300));
        assertThat(now.generation()).isEqualTo(1);
        assertThatThrownBy(() -> gwB.update(s, Set.of())).isInstanceOfSatisfying(BatonException.class,
                e -> assertThat(e.code()).isEqualTo(ResultCode.NOT_AUTHORIZED));
    }

    @Test
    void wrongCredentialsAndUnreachableServersAreClearErrors() throws Exception {
        assertThatThrownBy(() -> FederationClient.connect(FederationClientConfig.of(URI.create(server.url()), "gw-a",
                "wrong", TestServers.sslContext(server.certificate()), "gw-a")))
                .isInstanceOfSatisfying(BatonException.class,
                        e -> assertThat(e.code()).isEqualTo(ResultCode.AUTHENTICATION_FAILED));
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThatThrownBy(() -> FederationClient.connect(FederationClientConfig.of(
                URI.create("https://127.0.0.1:" + closedPort + "/"), "gw-a", "gw-a-pw",
                TestServers.sslContext(server.certificate()), "gw-a")))
                .isInstanceOfSatisfying(BatonException.class, e -> {
                    assertThat(e.code()).isEqualTo(ResultCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort).contains("unreachable");
                });
    }

    @Test
    void lossesArrivingDuringThePauseAfterAPollComeInOneResponse() throws Exception {
        // gw-d pauses a second after each poll that brought results: thirty sessions taken from it within that
        // second reach it in a few polls, not thirty. All thirty losses are still heard.
        FederationClient gwD = FederationClient.connect(FederationClientConfig.of(URI.create(server.url()), "gw-d",
                TestServers.USERS.get("gw-d"), TestServers.sslContext(server.certificate()), "gw-d")
                .withPollCoalesce(Duration.ofSeconds(1)));
        try {
            ConcurrentLinkedQueue<SessionIdHash> lostAtD = new ConcurrentLinkedQueue<>();
            gwD.onOwnershipLost((hash, newOwner) -> lostAtD.add(hash));
            List<SessionIdHash> hashes = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                SessionIdHash h = randomHash();
                gwD.publishSession(session(h, "gw-d"), Set.of());
                hashes.add(h);
            }
            assertThat(gwD.awaitSubscriptions(Duration.ofSeconds(10))).isTrue();
            long pollsBefore = gwD.pollRequests();
            for (SessionIdHash h : hashes) {
                assertThat(gwB.claim(gwB.lookup(h).orElseThrow(), session(h, "gw-b"), Set.of())).isTrue();
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(lostAtD).containsExactlyInAnyOrderElementsOf(hashes));
            assertThat(gwD.pollRequests() - pollsBefore).isBetween(1L, 6L);
        } finally {
            gwD.close();
        }
    }

    @Test
    void concurrentClaimsShareRequests() throws Exception {
        // 200 first publishes (claims of generation 1) from 16 threads at once: those that arrive while one is on
        // its way go together in one publish request.
        try (FederationClient gwE = client(server, "gw-e")) {
            List<SessionIdHash> fresh = publishConcurrently(gwE, "gw-e", java.util.stream.Stream.generate(
                    FederationClientTest::randomHash).limit(200).toList(), List.of());
            assertThat(fresh).allMatch(gwE::owns);
            assertThat(gwE.claimRequests()).isLessThan(200);
        }
    }

    @Test
    void concurrentLookUpsShareRequestsAndEachGetsItsOwnAnswer() throws Exception {
        // 100 sessions published by gw-a, 100 hashes nobody published: gw-e looks all of them up from 16 threads.
        List<SessionIdHash> published = publishedByA(100, i -> Set.of("hc-" + i));
        List<SessionIdHash> all = new ArrayList<>(published);
        java.util.stream.Stream.generate(FederationClientTest::randomHash).limit(100).forEach(all::add);
        java.util.Collections.shuffle(all, RANDOM);
        try (FederationClient gwE = client(server, "gw-e"); ExecutorService pool = Executors.newFixedThreadPool(16)) {
            Map<SessionIdHash, Future<java.util.Optional<FederatedSession>>> found = new java.util.LinkedHashMap<>();
            for (SessionIdHash h : all) {
                found.put(h, pool.submit(() -> gwE.lookup(h)));
            }
            for (var e : found.entrySet()) {
                int i = published.indexOf(e.getKey());
                if (i < 0) {
                    assertThat(e.getValue().get()).isEmpty();
                } else {
                    FederatedSession f = e.getValue().get().orElseThrow();
                    assertThat(f.hash()).isEqualTo(e.getKey());
                    assertThat(f.owner()).isEqualTo("gw-a");
                    assertThat(f.capabilities()).containsExactly("hc-" + i);
                }
            }
            assertThat(gwE.lookupRequests()).isLessThan(200);
        }
    }

    @Test
    void aGroupOfClaimsWithALoserStillDecidesEachClaimOnItsOwn() throws Exception {
        // 150 new sessions and 50 that gw-a already published, first-published by gw-e at once. The server
        // refuses a group holding one of the 50 as a whole; its claims are then sent again one by one.
        List<SessionIdHash> taken = publishedByA(50, i -> Set.of());
        try (FederationClient gwE = client(server, "gw-e")) {
            List<SessionIdHash> fresh = publishConcurrently(gwE, "gw-e", java.util.stream.Stream.generate(
                    FederationClientTest::randomHash).limit(150).toList(), taken);
            assertThat(fresh).allMatch(gwE::owns);
            assertThat(taken).noneMatch(gwE::owns);
            assertThat(fresh).allSatisfy(h -> assertThat(gwC.lookup(h).orElseThrow().owner()).isEqualTo("gw-e"));
            assertThat(taken).allSatisfy(h -> assertThat(gwC.lookup(h).orElseThrow().owner()).isEqualTo("gw-a"));
        }
    }

    /**
     * Publishes {@code fresh} and {@code taken} (already published elsewhere) in a shuffled order from 16 threads;
     * checks that each of {@code taken} failed with CONFLICT and each of {@code fresh} succeeded; returns fresh.
     */
    private static List<SessionIdHash> publishConcurrently(FederationClient gw, String name, List<SessionIdHash> fresh,
                                                           List<SessionIdHash> taken) throws Exception {
        List<SessionIdHash> all = new ArrayList<>(fresh);
        all.addAll(taken);
        java.util.Collections.shuffle(all, RANDOM);
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            Map<SessionIdHash, Future<?>> outcomes = new java.util.LinkedHashMap<>();
            for (SessionIdHash h : all) {
                outcomes.put(h, pool.submit(() -> gw.publishSession(session(h, name), Set.of())));
            }
            for (var e : outcomes.entrySet()) {
                if (taken.contains(e.getKey())) {
                    assertThatThrownBy(() -> e.getValue().get()).hasCauseInstanceOf(BatonException.class)
                            .cause().satisfies(c -> assertThat(((BatonException) c).code()).isEqualTo(ResultCode.CONFLICT));
                } else {
                    e.getValue().get();
                }
            }
        }
        return fresh;
    }

    @Test
    void withdrawnSessionIsGone() {
        SessionIdHash hash = randomHash();
        gwA.publishSession(session(hash, "gw-a"), Set.of());
        gwA.withdraw(hash);
        assertThat(gwB.lookup(hash)).isEmpty();
        assertThat(gwA.owns(hash)).isFalse();
    }

    @Test
    void aClaimRightAfterOursIsNoticedWhicheverWayOurBackgroundSubscriptionRaces() throws Exception {
        ConcurrentLinkedQueue<SessionIdHash> lostAtB = new ConcurrentLinkedQueue<>();
        gwB.onOwnershipLost((hash, newOwner) -> lostAtB.add(hash));
        List<SessionIdHash> hashes = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            SessionIdHash hash = randomHash();
            hashes.add(hash);
            gwA.publishSession(session(hash, "gw-a"), Set.of());
            FederatedSession seenByB = gwB.lookup(hash).orElseThrow();
            assertThat(gwB.claim(seenByB, seenByB.asSession().migratedTo("gw-b", "Users", Set.of(), false, T0), Set.of())).isTrue();
            // C claims at once: B's ownership subscription may reach the server before or after this claim.
            FederatedSession seenByC = gwC.lookup(hash).orElseThrow();
            assertThat(seenByC.owner()).isEqualTo("gw-b");
            assertThat(gwC.claim(seenByC, seenByC.asSession().migratedTo("gw-c", "Users", Set.of(), false, T0), Set.of())).isTrue();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> lostAtB.containsAll(hashes));
        assertThat(hashes).noneMatch(gwB::owns).allMatch(gwC::owns);
        assertThat(gwB.awaitSubscriptions(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void subscriptionChangesOfManyConcurrentClaimsAllReachTheServer() throws Exception {
        List<SessionIdHash> hashes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            hashes.add(randomHash());
        }
        long before = gwA.subscribeRequests();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> published = new ArrayList<>();
            for (SessionIdHash hash : hashes) {
                published.add(pool.submit(() -> gwA.publishSession(session(hash, "gw-a"), Set.of())));
            }
            for (Future<?> f : published) {
                f.get();
            }
        }
        assertThat(gwA.awaitSubscriptions(Duration.ofSeconds(30))).isTrue();
        assertThat(gwA.subscribeRequests() - before).isBetween(1L, 200L);
        // Every one of them is watched: a claim of each reaches A.
        for (SessionIdHash hash : hashes) {
            FederatedSession seen = gwB.lookup(hash).orElseThrow();
            assertThat(gwB.claim(seen, seen.asSession().migratedTo("gw-b", "Users", Set.of(), false, T0), Set.of())).isTrue();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> lostAtA.containsAll(hashes));
    }
}
