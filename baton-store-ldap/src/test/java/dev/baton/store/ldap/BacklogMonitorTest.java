package dev.baton.store.ldap;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BacklogMonitorTest {
    private static final Instant T0 = Instant.parse("2026-11-23T02:00:00Z");

    @Test
    void theFirstCountGivesNoEstimate() {
        BacklogMonitor m = new BacklogMonitor(100);
        assertThat(m.observe(T0, 5000)).isFalse();
        assertThat(m.inflowPerSecond()).isNaN();
    }

    @Test
    void inflowIsGrowthPlusDeletesOverElapsedTime() {
        BacklogMonitor m = new BacklogMonitor(100);
        m.observe(T0, 1000);
        m.deleted(1000);
        boolean behind = m.observe(T0.plusSeconds(10), 500);

        assertThat(m.inflowPerSecond()).isCloseTo(50.0, within(1e-9));
        assertThat(behind).isFalse();
    }

    @Test
    void isBehindWhenSessionsBecomeRemovableFasterThanTheThrottleAndRecovers() {
        BacklogMonitor m = new BacklogMonitor(100);
        m.observe(T0, 0);
        m.deleted(0);
        assertThat(m.observe(T0.plusSeconds(10), 1500)).isTrue(); // 150/s > 100/s
        assertThat(m.behind()).isTrue();

        m.deleted(1000);
        assertThat(m.observe(T0.plusSeconds(20), 600)).isFalse(); // (600 - 1500 + 1000) / 10 = 10/s
        assertThat(m.inflowPerSecond()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void withoutAThrottleItIsNeverBehind() {
        BacklogMonitor m = new BacklogMonitor(0);
        m.observe(T0, 0);
        assertThat(m.observe(T0.plusSeconds(1), 1_000_000)).isFalse();
        assertThat(m.inflowPerSecond()).isCloseTo(1_000_000.0, within(1e-9));
    }

    @Test
    void resetForgetsHistory() {
        BacklogMonitor m = new BacklogMonitor(10);
        m.observe(T0, 0);
        m.observe(T0.plusSeconds(1), 100);
        m.reset();

        assertThat(m.behind()).isFalse();
        assertThat(m.observe(T0.plusSeconds(2), 100)).isFalse();
        assertThat(m.inflowPerSecond()).isNaN();
    }
}
