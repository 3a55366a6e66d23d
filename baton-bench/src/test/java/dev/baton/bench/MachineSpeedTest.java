package dev.baton.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MachineSpeedTest {
    @Test
    void measuresTheTimeOfOneVerificationInMicroseconds() {
        double micros = MachineSpeed.verifyMicros(3, Duration.ofMillis(30));

        // An Ed25519 verification takes tens to hundreds of microseconds on any machine that runs the suite:
        // a figure outside these bounds means the unit or the loop is wrong, not the machine.
        assertThat(micros).isBetween(1.0, 20_000.0);
    }

    @Test
    void refusesRoundsThatCannotMeasure() {
        assertThatThrownBy(() -> MachineSpeed.verifyMicros(0, Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one round");
        assertThatThrownBy(() -> MachineSpeed.verifyMicros(3, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive length");
    }
}
