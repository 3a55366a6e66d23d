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

    @Test
    void rememberedAgentMadeChallengesAreBoundedAndForgottenOnceOutOfTheWindow() {
        for (int i = 0; i < 3; i++) {
            challenges.consume(ProofOfPossession.agentChallenge("gw", now.get()));
        }
        assertThat(challenges.remembered()).isEqualTo(3);
        assertThatThrownBy(() -> challenges.consume(ProofOfPossession.agentChallenge("gw", now.get())))
                .isInstanceOf(BatonException.class).hasMessageContaining("too many agent-made challenges")
                .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.STALE_CHALLENGE));
        // Issued challenges are counted apart, so the agent's fallback still works while the bound holds.
        challenges.consume(challenges.issue());

        now.set(now.get().plusSeconds(31));
        challenges.consume(ProofOfPossession.agentChallenge("gw", now.get()));
        assertThat(challenges.remembered()).isEqualTo(1);
    }
}
