package dev.baton.it;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentState;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.BatonException;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.core.api.AccessResult;
import dev.baton.core.api.Challenge;
import dev.baton.core.api.ConnectRequest;
import dev.baton.ifmap.FederatedSession;
import dev.baton.ifmap.FederationClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * F4 with real processes: gateways B and C, each its own JVM, are asked for the same session at the same
 * moment, a hundred times. The session lives at gateway A, where alice signed in. Each round the agent's
 * key signs a challenge of B and one of C, and two threads, released by one latch, send both connects at
 * once; then the test checks that exactly one gateway holds the session, that the federation server names
 * it as the owner, and that a racer that lost was told CONFLICT, never a server error. Then the agent
 * connects back to A, so that the next round is again a race of two migrations.
 *
 * <p>Three outcomes are correct. In a true race both racers read A as the owner and both claim; the IF-MAP
 * server's compare-and-set lets exactly one win and the other answers CONFLICT ("another gateway took the
 * session first"). Or one racer's look-up came after the other's claim: it then migrates the session on from
 * the first racer, and both succeed (the first drops its copy when its poll reports the loss), or, if the
 * second claim lands while the first racer is still storing the session, the first answers CONFLICT
 * ("another gateway took the session while it arrived here") and keeps nothing. The test counts the three
 * kinds and prints the counts. In every case the ownership generation the federation server keeps rises by
 * one per successful claim, so two gateways that both believed they won the same step would be caught even
 * if one of them later dropped its copy.
 */
class RaceForOneSessionIT {
    static final int ROUNDS = 100;
    static final Duration NOTIFICATION = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** What one connect got: the session's state at that gateway, or the refusal. */
    record Attempt(String gateway, AccessResult access, BatonException refusal) {
        boolean won() {
            return access != null;
        }

        /** Refused although its claim succeeded: the other racer took the session on before it answered. */
        boolean overtaken() {
            return refusal != null && refusal.getMessage().contains("while it arrived here");
        }
    }

    @Test
    void ofTwoGatewaysAskedForOneSessionAtOnceExactlyOneHoldsItEveryRound() throws Exception {
        try (Cluster cluster = new Cluster(dir).startFederation("gateway-a", "gateway-b", "gateway-c", "observer");
             ExecutorService racers = Executors.newFixedThreadPool(2)) {
            Map<String, HttpGatewayEndpoint> gateways = new LinkedHashMap<>();
            for (String name : List.of("gateway-a", "gateway-b", "gateway-c")) {
                cluster.startGateway(name, "remote-access", "corp");
                gateways.put(name, cluster.endpoint(name));
            }
            try (FederationClient federation = cluster.federationClient("observer")) {
                Agent agent = new Agent(null, Map.of());
                agent.signIn(gateways.get("gateway-a"), "users", "alice", Cluster.PASSWORD);
                AgentState alice = agent.state();
                SessionIdHash hash = SessionId.hashOf(alice.sessionId());
                FederatedSession signedIn = published(federation, hash);
                assertThat(signedIn.owner()).isEqualTo("gateway-a");
                long generation = signedIn.generation();

                int trueRaces = 0;
                int sequential = 0;
                int overtaken = 0;
                long started = System.nanoTime();
                for (int round = 1; round <= ROUNDS; round++) {
                    // The session is at gateway-a; B and C are asked for it at the same moment.
                    List<Attempt> attempts = race(racers, alice, gateways.get("gateway-b"), gateways.get("gateway-c"));

                    for (Attempt a : attempts) {
                        if (!a.won()) {
                            assertThat(a.refusal().code()).as("round %d: %s refused with %s", round, a.gateway(), a.refusal())
                                    .isEqualTo(ResultCode.CONFLICT);
                            assertThat(a.refusal()).hasMessageContaining("another gateway took the session");
                        }
                    }
                    List<String> winners = attempts.stream().filter(Attempt::won).map(Attempt::gateway).toList();
                    assertThat(winners).as("round %d: at least one racer gets the session", round).isNotEmpty();
                    // Every successful claim moved ownership one step; two winners of one step would show here.
                    long claims = attempts.stream().filter(a -> a.won() || a.overtaken()).count();
                    FederatedSession after = published(federation, hash);
                    assertThat(after.generation()).as("round %d: ownership generation after %s", round, attempts)
                            .isEqualTo(generation + claims);
                    String owner = after.owner();
                    if (winners.size() == 1) {
                        Attempt lost = attempts.stream().filter(a -> !a.won()).findFirst().orElseThrow();
                        if (lost.overtaken()) {
                            overtaken++;
                        } else {
                            trueRaces++;
                        }
                        assertThat(owner).as("round %d: the federation's owner is the one winner", round).isEqualTo(winners.getFirst());
                        // The racer that was told CONFLICT holds nothing, not even for a moment.
                        assertRefuses(gateways.get(lost.gateway()), alice, "round " + round + ": " + lost.gateway() + " lost the race");
                    } else {
                        sequential++;
                        assertThat(winners).as("round %d: both migrated one after the other; the federation's owner is one of them", round)
                                .contains(owner);
                    }
                    awaitSoleHolder(gateways, owner, alice, "round " + round);

                    // Back to gateway-a, so that the next round is again a race of two migrations.
                    AccessResult home = connect(gateways.get("gateway-a"), alice, challengeOf(gateways.get("gateway-a"), alice));
                    assertThat(home.outcome()).as("round %d: back to gateway-a", round).isEqualTo("migrated");
                    FederatedSession back = published(federation, hash);
                    assertThat(back.owner()).isEqualTo("gateway-a");
                    assertThat(back.generation()).isEqualTo(after.generation() + 1);
                    generation = back.generation();
                    awaitSoleHolder(gateways, "gateway-a", alice, "round " + round + ", back at gateway-a");
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                System.out.printf("RaceForOneSessionIT: %d rounds in %d ms: %d true races (both claimed at once, one told "
                        + "CONFLICT), %d sequential (both migrated, one after the other), %d sequential with the first "
                        + "overtaken before it answered (told CONFLICT)%n", ROUNDS, millis, trueRaces, sequential, overtaken);
                assertThat(trueRaces + sequential + overtaken).isEqualTo(ROUNDS);
                // Both connects leave together once both challenges are signed, so nearly every round is a true
                // race (96 to 99 of 100 in runs on a loaded 2-core machine). Only "some" is asserted: a stalled
                // racer thread makes a round sequential, which is correct behaviour and checked above all the same.
                assertThat(trueRaces).as("rounds in which both racers claimed at once").isPositive();
            }
        }
    }

    /**
     * Gets a challenge from each gateway and signs it with the agent's key, then sends both connects from two
     * threads released by one latch, so they reach the gateways together.
     */
    private static List<Attempt> race(ExecutorService racers, AgentState alice, HttpGatewayEndpoint b, HttpGatewayEndpoint c)
            throws Exception {
        CountDownLatch ready = new CountDownLatch(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Attempt>> futures = List.of(b, c).stream().map(gateway -> racers.submit(() -> {
            Signed signed = challengeOf(gateway, alice);
            ready.countDown();
            go.await();
            try {
                return new Attempt(signed.gateway(), connect(gateway, alice, signed), null);
            } catch (BatonException e) {
                return new Attempt(signed.gateway(), null, e);
            }
        })).toList();
        assertThat(ready.await(20, TimeUnit.SECONDS)).as("both racers have a signed challenge").isTrue();
        go.countDown();
        return List.of(futures.get(0).get(30, TimeUnit.SECONDS), futures.get(1).get(30, TimeUnit.SECONDS));
    }

    /** A gateway's challenge, signed with the key alice's session is bound to. */
    record Signed(String gateway, String challenge, String signature) {
    }

    private static Signed challengeOf(HttpGatewayEndpoint gateway, AgentState alice) {
        Challenge challenge = gateway.challenge();
        String signature = ProofOfPossession.sign(ProofOfPossession.privateKey(alice.privateKey()), challenge.gateway(),
                SessionId.hashOf(alice.sessionId()), challenge.value());
        return new Signed(challenge.gateway(), challenge.value(), signature);
    }

    /** An access check with alice's proof over a challenge {@code gateway} issues. */
    private static AccessResult access(HttpGatewayEndpoint gateway, AgentState alice) {
        Challenge challenge = gateway.challenge();
        String signature = ProofOfPossession.sign(ProofOfPossession.privateKey(alice.privateKey()), "access",
                challenge.gateway(), SessionId.hashOf(alice.sessionId()), challenge.value());
        return gateway.access(new dev.baton.core.api.SessionProof(alice.sessionId(), challenge.value(), signature));
    }

    private static AccessResult connect(HttpGatewayEndpoint gateway, AgentState alice, Signed signed) {
        return gateway.connect(new ConnectRequest(alice.sessionId(), Map.of(), signed.challenge(), signed.signature()));
    }

    /** The session as the IF-MAP federation server holds it: its owner and ownership generation. */
    private static FederatedSession published(FederationClient federation, SessionIdHash hash) {
        return federation.lookup(hash).orElseThrow(() -> new AssertionError("the federation server holds no session under the hash"));
    }

    private static void assertRefuses(HttpGatewayEndpoint gateway, AgentState alice, String why) {
        assertThatThrownBy(() -> access(gateway, alice)).as(why)
                .isInstanceOf(BatonException.class)
                .satisfies(e -> assertThat(((BatonException) e).code()).as(why).isEqualTo(ResultCode.UNKNOWN_SESSION));
    }

    /**
     * Waits until {@code holder} answers alice's access check and every other gateway refuses it (a previous
     * owner drops its copy when its poll on the federation server reports the loss, a few milliseconds on).
     */
    private static void awaitSoleHolder(Map<String, HttpGatewayEndpoint> gateways, String holder, AgentState alice, String when) {
        Awaitility.await(when + ": " + holder + " alone holds the session").atMost(NOTIFICATION)
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                    for (Map.Entry<String, HttpGatewayEndpoint> g : gateways.entrySet()) {
                        if (g.getKey().equals(holder)) {
                            assertThat(access(g.getValue(), alice).gateway()).isEqualTo(holder);
                        } else {
                            assertRefuses(g.getValue(), alice, when + ": " + g.getKey() + " no longer holds it");
                        }
                    }
                });
    }
}
