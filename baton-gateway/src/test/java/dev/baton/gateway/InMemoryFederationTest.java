package dev.baton.gateway;

import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.Session;
import dev.baton.core.SessionId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryFederationTest {
    static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

    static Session session(String owner) {
        return Session.start(SessionId.generate().hash(), "alice", "users", new AuthGroup("corp"), AuthServerKind.LOCAL,
                Set.of("staff"), Map.of(), T0, owner);
    }

    @Test
    void claimsRacingFromTheSameOwnerHaveExactlyOneWinnerAndTheLoserIsNotified() throws Exception {
        InMemoryFederation federation = new InMemoryFederation(Runnable::run);
        List<String> lost = new CopyOnWriteArrayList<>();
        federation.subscribe("a", (hash, newOwner) -> lost.add(newOwner));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 100; round++) {
                Session s = session("a");
                federation.publish(s, Set.of());
                Federation.Published seen = federation.lookup(s.hash()).orElseThrow();
                CyclicBarrier barrier = new CyclicBarrier(4);
                List<Future<Boolean>> claims = new ArrayList<>();
                for (String g : List.of("b", "c", "d", "e")) {
                    claims.add(pool.submit(() -> {
                        barrier.await();
                        try {
                            federation.claim(seen, s.migratedTo(g, "users", Set.of("staff"), false, T0), Set.of());
                            return true;
                        } catch (BatonException e) {
                            return e.code() == ResultCode.CONFLICT ? false : null;
                        }
                    }));
                }
                int wins = 0;
                for (Future<Boolean> f : claims) {
                    wins += f.get() ? 1 : 0;
                }
                assertThat(wins).as("round %d", round).isEqualTo(1);
            }
            assertThat(lost).hasSize(100);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClaimNamesTheGenerationItsLookUpSawSoALookUpOlderThanARoundTripLoses() {
        InMemoryFederation federation = new InMemoryFederation(Runnable::run);
        Session s = session("a");
        federation.publish(s, Set.of());
        Federation.Published stale = federation.lookup(s.hash()).orElseThrow();
        federation.claim(stale, s.migratedTo("b", "users", Set.of(), false, T0), Set.of());
        Federation.Published atB = federation.lookup(s.hash()).orElseThrow();
        federation.claim(atB, s.migratedTo("a", "users", Set.of(), false, T0), Set.of());
        assertThat(federation.lookup(s.hash()).orElseThrow().owner()).isEqualTo("a");

        assertThat(stale.owner()).as("same owner as now, older generation").isEqualTo("a");
        assertThatThrownBy(() -> federation.claim(stale, s.migratedTo("c", "users", Set.of(), false, T0), Set.of()))
                .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.CONFLICT));
        assertThat(federation.lookup(s.hash()).orElseThrow().generation()).isEqualTo(stale.generation() + 2);
    }

    @Test
    void onlyTheOwnerMayRepublishOrWithdraw() {
        InMemoryFederation federation = new InMemoryFederation(Runnable::run);
        Session s = session("a");
        federation.publish(s, Set.of());
        assertThatThrownBy(() -> federation.publish(s.migratedTo("b", "users", Set.of(), false, T0), Set.of()))
                .hasMessageContaining("owned by a, not b");
        federation.withdraw(s.hash(), "b");
        Federation.Published seen = federation.lookup(s.hash()).orElseThrow();
        federation.withdraw(s.hash(), "a");
        assertThat(federation.lookup(s.hash())).isEmpty();
        assertThatThrownBy(() -> federation.claim(seen, s, Set.of())).hasMessageContaining("no longer published");
    }
}
