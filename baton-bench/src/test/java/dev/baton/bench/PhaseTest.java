package dev.baton.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PhaseTest {
    private static IfmapWorkload.Phase phase(long operations, long requests, long elapsedMillis, long cpuMillis,
                                             long... latencyMillis) {
        LatencySamples latencies = new LatencySamples();
        for (long ms : latencyMillis) {
            latencies.record(ms * 1_000_000);
        }
        return new IfmapWorkload.Phase(operations, requests, elapsedMillis * 1_000_000, cpuMillis * 1_000_000,
                latencies);
    }

    @Test
    void roundsAddUpAsIfRunBackToBack() {
        IfmapWorkload.Phase total = IfmapWorkload.Phase.empty()
                .plus(phase(300, 3, 1000, 6, 1, 2, 3))
                .plus(phase(500, 5, 1000, 4, 4, 5, 6, 7, 8));

        assertThat(total.perSecond()).isEqualTo(400.0);
        assertThat(total.clientCpuMillisPerRequest()).isEqualTo(1.25);
        assertThat(total.latencies().count()).isEqualTo(8);
        assertThat(total.latencies().percentileMillis(50)).isEqualTo(4.0);
    }

    @Test
    void batchThroughputCountsUpdatesNotRequests() {
        IfmapWorkload.Phase batches = phase(1000, 10, 2000, 20, 200);

        assertThat(batches.perSecond()).isEqualTo(500.0);
        assertThat(batches.clientCpuMillisPerRequest()).isEqualTo(2.0);
    }
}
