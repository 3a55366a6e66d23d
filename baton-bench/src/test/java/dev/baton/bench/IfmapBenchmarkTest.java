package dev.baton.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class IfmapBenchmarkTest {
    @Test
    void ratiosCompareThroughputAndMedianLatenciesOfBatonWithIrond() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Results results = new Results(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        IfmapBenchmark.writeRatios(new MeasuredServer.Figures(1600, 9000, 0.2, 1.0),
                new MeasuredServer.Figures(400, 2500, 0.8, 5.0), results);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("""
                RESULT ratio.publish.baton_vs_irond=4
                RESULT ratio.publish_batch.baton_vs_irond=3.6
                RESULT ratio.search_latency.baton_vs_irond=0.25
                RESULT ratio.poll_latency.baton_vs_irond=0.2
                """);
    }

    @Test
    void theServerProcessIsComparedWithBatonInProcessAndWithIrond() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Results results = new Results(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Map<String, MeasuredServer.Figures> figures = new LinkedHashMap<>();
        figures.put("baton", new MeasuredServer.Figures(1600, 9000, 0.2, 0.5));
        figures.put(BatonProcess.NAME, new MeasuredServer.Figures(800, 9000, 0.4, 1.0));
        figures.put("irond", new MeasuredServer.Figures(400, 2500, 0.8, 5.0));

        IfmapBenchmark.writeAllRatios(figures, results);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains(
                "RESULT ratio.poll_latency.baton_vs_irond=0.1\n",
                "RESULT ratio.publish.baton_process_vs_irond=2\n",
                "RESULT ratio.poll_latency.baton_process_vs_irond=0.2\n",
                "RESULT ratio.publish.process_vs_inprocess=0.5\n",
                "RESULT ratio.poll_latency.process_vs_inprocess=2\n");
    }

    @Test
    void withoutBatonServerTheRunReportsItAbsentAndTheUnsetPeerAbsent() throws Exception {
        Function<Consumer<String>, Optional<FederationUnderTest>> noBatonServer =
                reason -> {
                    reason.accept(BatonFederation.UNAVAILABLE);
                    return Optional.empty();
                };
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Results results = new Results(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        boolean batonMeasured = new IfmapBenchmark(null, noBatonServer, noBatonServer).run(RunMode.QUICK, results);

        assertThat(batonMeasured).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("# " + BatonFederation.UNAVAILABLE + "\n", "RESULT baton.federation=absent\n",
                        "RESULT baton_process.federation=absent\n",
                        "# irond: IROND_HOME is not set\n", "RESULT peer.irond=absent\n")
                .doesNotContain("RESULT ratio.");
    }
}
