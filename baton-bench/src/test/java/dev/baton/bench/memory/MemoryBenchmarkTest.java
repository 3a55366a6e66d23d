package dev.baton.bench.memory;

import dev.baton.bench.Results;
import dev.baton.bench.RunMode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory benchmark's store and restart parts on a few thousand sessions, in child JVMs as in a run. */
class MemoryBenchmarkTest {
    private static final int N = 2_000;

    @Test
    void theMemoryTierAndARestartedGatewayAreMeasuredPerSession() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Results results = new Results(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        boolean measured = new MemoryBenchmark(null, Optional.of(N), "store,restart").run(RunMode.QUICK, results);

        Map<String, Double> figures = figures(bytes.toString(StandardCharsets.UTF_8));
        assertThat(measured).isTrue();
        assertThat(figures).containsEntry("memory.store_sessions", (double) N).containsEntry("memory.restart_preloaded", (double) N);
        // A session holds a 64-digit hash, a user name, an agent key and three attributes: hundreds of bytes, and
        // the memory tier is far from the several kilobytes of a graph of IF-MAP metadata.
        assertThat(figures.get("memory.store_bytes_per_session")).isBetween(300.0, 3_000.0);
        assertThat(figures.get("memory.store_bytes_per_session_preloaded")).isBetween(300.0, 3_000.0);
        assertThat(figures.get("memory.restart_heap_bytes_per_session"))
                .isGreaterThanOrEqualTo(figures.get("memory.store_bytes_per_session_preloaded"));
        assertThat(figures.get("memory.restart_first_resume_ms")).isPositive()
                .isGreaterThanOrEqualTo(figures.get("memory.restart_preload_ms"));
    }

    @Test
    void aHistogramIsReadUpToItsTotal() throws Exception {
        HeapProbe.Histogram h = HeapProbe.parse(List.of("12345:", " num     #instances         #bytes  class name (module)",
                "-------------------------------------------------------",
                "   1:          2000         160000  [B (java.base@25)",
                "   2:          1000          24000  java.lang.String (java.base@25)",
                "Total          3000         184000"), 1);
        assertThat(h.totalBytes()).isEqualTo(184_000);
        assertThat(h.top()).containsExactly(new HeapProbe.ClassShare("[B", 2000, 160_000));
    }

    private static Map<String, Double> figures(String out) {
        Map<String, Double> figures = new HashMap<>();
        out.lines().filter(l -> l.startsWith("RESULT ")).forEach(l -> {
            String[] kv = l.substring(7).split("=", 2);
            figures.put(kv[0], Double.parseDouble(kv[1]));
        });
        return figures;
    }
}
