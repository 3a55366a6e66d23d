package dev.baton.gateway;

import dev.baton.core.BatonException;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChallengesTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T12:00:00Z"));
    private final Challenges challenges = new Challenges("gw", now::get, Duration.ofMinutes(1), Duration.ofSeconds(30), 3);

    private void pastStartGuard() {
        now.set(now.get().plusSeconds(31));
    }

    @Test
    void rememberedAgentMadeChallengesAreBoundedAndForgottenOnceOutOfTheWindow() {
        pastStartGuard();
        for (int i = 0; i < 3; i++) {
            challenges.consume(ProofOfPossession.agentChallenge("gw", now.get()));
        }
        assertThat(challenges.remembered()).isEqualTo(3);
        assertThatThrownBy(() -> challenges.consume(ProofOfPossession.agentChallenge("gw", now.get())))
                .isInstanceOf(BatonException.class).hasMessageContaining("too many challenges to remember")
                .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.STALE_CHALLENGE));
        // Issued challenges are counted apart, so the agent's fallback still works while the bound holds.
        challenges.consume(challenges.issue());

        now.set(now.get().plusSeconds(31));
        challenges.consume(ProofOfPossession.agentChallenge("gw", now.get()));
        assertThat(challenges.remembered()).as("the new agent-made one, and the issued one until it expires").isEqualTo(2);
    }

    @Test
    void issuedChallengesAreStatelessMacProtectedAndSingleUse() {
        String c = challenges.issue();
        challenges.check(c);
        challenges.check(c); // checking remembers nothing: only a verified signature does
        assertThat(challenges.remembered()).isZero();
        challenges.consume(c);
        assertThatThrownBy(() -> challenges.consume(c)).hasMessageContaining("already used");
        String forged = c.substring(0, c.lastIndexOf('.') + 1) + "A".repeat(22);
        assertThatThrownBy(() -> challenges.check(forged)).hasMessageContaining("not issued by this gateway");
        String extended = "g." + now.get().plusSeconds(3600).toEpochMilli() + c.substring(c.indexOf('.', 2));
        assertThatThrownBy(() -> challenges.check(extended)).as("a changed expiry breaks the MAC")
                .hasMessageContaining("not issued by this gateway");
        Challenges restarted = new Challenges("gw", now::get, Duration.ofMinutes(1), Duration.ofSeconds(30), 3);
        assertThatThrownBy(() -> restarted.check(challenges.issue())).hasMessageContaining("not issued by this gateway");
        String late = challenges.issue();
        now.set(now.get().plusSeconds(61));
        assertThatThrownBy(() -> challenges.check(late)).hasMessageContaining("expired");
    }

    @Test
    void aFloodOfChallengeRequestsFillsNothingAndHonestProofsStillPass() {
        for (int i = 0; i < 100_000; i++) {
            challenges.issue();
        }
        assertThat(challenges.remembered()).isZero();
        challenges.consume(challenges.issue());
    }

    @Test
    void agentMadeChallengesDatedBeforeTheGatewayStartedPlusTheSkewAreRefused() {
        assertThatThrownBy(() -> challenges.check(ProofOfPossession.agentChallenge("gw", now.get())))
                .hasMessageContaining("before this gateway started");
        pastStartGuard();
        challenges.check(ProofOfPossession.agentChallenge("gw", now.get()));
    }
}
