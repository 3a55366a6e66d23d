package dev.baton.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatencySamplesTest {
    @Test
    void percentilesAreNearestRankInMilliseconds() {
        LatencySamples samples = new LatencySamples();
        for (int ms = 100; ms >= 1; ms--) {
            samples.record(ms * 1_000_000L);
        }

        assertThat(samples.count()).isEqualTo(100);
        assertThat(samples.percentileMillis(50)).isEqualTo(50.0);
        assertThat(samples.percentileMillis(99)).isEqualTo(99.0);
        assertThat(samples.percentileMillis(100)).isEqualTo(100.0);
        assertThat(samples.percentileMillis(0.1)).isEqualTo(1.0);
    }

    @Test
    void growsPastItsInitialCapacity() {
        LatencySamples samples = new LatencySamples();
        for (int i = 0; i < 5000; i++) {
            samples.record(i == 4999 ? 9_000_000L : 1_000_000L);
        }

        assertThat(samples.count()).isEqualTo(5000);
        assertThat(samples.percentileMillis(99)).isEqualTo(1.0);
        assertThat(samples.percentileMillis(100)).isEqualTo(9.0);
    }

    @Test
    void emptySamplesHaveNoPercentile() {
        assertThatThrownBy(() -> new LatencySamples().percentileMillis(50))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no latency");
    }

    @Test
    void negativeLatencyAndPercentilesOutOfRangeAreRefused() {
        LatencySamples samples = new LatencySamples();
        samples.record(1);

        assertThatThrownBy(() -> samples.record(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> samples.percentileMillis(0)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> samples.percentileMillis(101)).hasMessageContaining("101");
    }
}
