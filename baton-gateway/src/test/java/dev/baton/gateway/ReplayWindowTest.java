package dev.baton.gateway;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayWindowTest {
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    /** One accepted-or-not challenge: the clock's step forward, the challenge's offset from the clock, its nonce. */
    record Use(int clockStepMillis, int offsetMillis, int nonce) {
    }

    @Provide
    Arbitrary<List<Use>> uses() {
        Arbitrary<Use> use = Combinators.combine(Arbitraries.integers().between(0, 4_000),
                Arbitraries.integers().between(-30_000, 30_000), Arbitraries.integers().between(0, 40)).as(Use::new);
        return use.list().ofMaxSize(400);
    }

    /**
     * Within the window a nonce of a given second is refused exactly when it was accepted before: compared with a
     * set that never forgets, over clocks that run for minutes (so every bucket of the ring is reused).
     */
    @Property(tries = 300)
    void refusesExactlyTheChallengesAlreadyAccepted(@ForAll("uses") List<Use> uses) {
        ReplayWindow window = new ReplayWindow(SKEW, 1_000_000);
        Set<List<Long>> accepted = new HashSet<>();
        Instant now = T0;
        for (Use u : uses) {
            now = now.plusMillis(u.clockStepMillis());
            Instant madeAt = now.plusMillis(u.offsetMillis());
            long high = u.nonce() % 7; // small pools, so the same nonce comes back in the same second often
            long low = u.nonce();
            boolean first = accepted.add(List.of(madeAt.getEpochSecond(), high, low));

            assertThat(window.firstUse(madeAt, high, low, now))
                    .isEqualTo(first ? ReplayWindow.Outcome.FIRST_USE : ReplayWindow.Outcome.REPLAY);
        }
    }

    @Test
    void aBucketThatOutgrowsItsTableStillFindsEveryNonce() {
        ReplayWindow window = new ReplayWindow(SKEW, 1_000_000);
        for (long i = 1; i <= 5_000; i++) {
            assertThat(window.firstUse(T0, i * 31, -i, T0)).isEqualTo(ReplayWindow.Outcome.FIRST_USE);
        }
        for (long i = 1; i <= 5_000; i++) {
            assertThat(window.firstUse(T0, i * 31, -i, T0)).isEqualTo(ReplayWindow.Outcome.REPLAY);
        }
        assertThat(window.remembered()).isEqualTo(5_000);
        // An all-zero nonce is stored as (0, 1), never as the empty marker.
        assertThat(window.firstUse(T0, 0, 0, T0)).isEqualTo(ReplayWindow.Outcome.FIRST_USE);
        assertThat(window.firstUse(T0, 0, 0, T0)).isEqualTo(ReplayWindow.Outcome.REPLAY);
    }

    @Test
    void theBoundRefusesUntilSecondsLeaveTheWindow() {
        ReplayWindow window = new ReplayWindow(SKEW, 2);
        assertThat(window.firstUse(T0, 1, 1, T0)).isEqualTo(ReplayWindow.Outcome.FIRST_USE);
        assertThat(window.firstUse(T0.plusSeconds(10), 1, 2, T0.plusSeconds(10))).isEqualTo(ReplayWindow.Outcome.FIRST_USE);
        assertThat(window.firstUse(T0.plusSeconds(10), 1, 3, T0.plusSeconds(10))).isEqualTo(ReplayWindow.Outcome.FULL);
        // 30.999 s after T0 a challenge of second T0 may still be in the window: nothing is forgotten yet.
        assertThat(window.firstUse(T0.plusSeconds(30), 1, 3, T0.plusMillis(30_999))).isEqualTo(ReplayWindow.Outcome.FULL);
        // At T0 + 31 s every challenge of second T0 is out: its nonce is forgotten, the one of T0 + 10 s is not.
        assertThat(window.firstUse(T0.plusSeconds(31), 1, 3, T0.plusSeconds(31))).isEqualTo(ReplayWindow.Outcome.FIRST_USE);
        assertThat(window.remembered()).isEqualTo(2);
        assertThat(window.firstUse(T0.plusSeconds(10), 1, 2, T0.plusSeconds(31))).isEqualTo(ReplayWindow.Outcome.REPLAY);
    }

    @Test
    void aClockThatWentBackRefusesRatherThanForgets() {
        ReplayWindow window = new ReplayWindow(SKEW, 100);
        Instant later = T0.plusSeconds(62); // the ring has 62 buckets for a 30 s skew: same bucket as T0
        assertThat(window.firstUse(later, 5, 5, later)).isEqualTo(ReplayWindow.Outcome.FIRST_USE);

        assertThat(window.firstUse(T0, 5, 6, T0)).isEqualTo(ReplayWindow.Outcome.TOO_OLD);
        assertThat(window.firstUse(later, 5, 5, later)).isEqualTo(ReplayWindow.Outcome.REPLAY);
    }
}
