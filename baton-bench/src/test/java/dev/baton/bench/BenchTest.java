package dev.baton.bench;

import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<RunMode> modesRun = new ArrayList<>();

    private Bench bench(BenchRegistry registry) {
        return new Bench(registry, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private BenchRegistry registryWith(Benchmark benchmark) {
        return new BenchRegistry().register("demo", "a demo bench", () -> benchmark);
    }

    @Test
    void unknownNameExitsNonZeroWithOneLineNamingTheKnownBenches() {
        int status = bench(BenchRegistry.standard()).run("nosuch", "--quick");

        assertThat(status).isEqualTo(ResultCode.INVALID_REQUEST.exitStatus());
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("unknown benchmark 'nosuch'; known: [ifmap, migration, attack, requests, store, cleanup, purge, admin, sso, memory]\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void missingOrExtraNamesGetTheUsageLine() {
        assertThat(bench(BenchRegistry.standard()).run("--quick")).isEqualTo(ResultCode.INVALID_REQUEST.exitStatus());
        assertThat(bench(BenchRegistry.standard()).run("ifmap", "store")).isEqualTo(ResultCode.INVALID_REQUEST.exitStatus());
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: bench NAME [--quick]");
    }

    @Test
    void quickFlagRunsTheNamedBenchInQuickModeAndItsResultsReachStandardOutput() {
        int status = bench(registryWith((mode, results) -> {
            modesRun.add(mode);
            results.figure("demo.value", 1.5);
            return true;
        })).run("demo", "--quick");

        assertThat(status).isZero();
        assertThat(modesRun).containsExactly(RunMode.QUICK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("RESULT demo.value=1.5\n");
    }

    @Test
    void withoutQuickFlagTheFullModeRuns() {
        bench(registryWith((mode, results) -> modesRun.add(mode))).run("demo");

        assertThat(modesRun).containsExactly(RunMode.FULL);
    }

    @Test
    void benchThatCouldNotMeasureBatonExitsWithTheUnavailableStatusAndAReason() {
        int status = bench(registryWith((mode, results) -> false)).run("demo");

        assertThat(status).isEqualTo(ResultCode.UNAVAILABLE.exitStatus());
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("bench demo: Baton's side was not measured");
    }

    @Test
    void failingBenchExitsWithTheInternalStatusAndTheCause() {
        int status = bench(registryWith((mode, results) -> {
            throw new IllegalStateException("poll never answered");
        })).run("demo");

        assertThat(status).isEqualTo(ResultCode.INTERNAL.exitStatus());
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bench demo failed").contains("poll never answered");
    }

    @Test
    void registryRefusesDuplicateAndMalformedNames() {
        BenchRegistry registry = new BenchRegistry().register("store", "x", () -> (m, r) -> true);

        assertThatThrownBy(() -> registry.register("store", "y", () -> (m, r) -> true)).hasMessageContaining("store");
        assertThatThrownBy(() -> registry.register("Store Bench", "y", () -> (m, r) -> true))
                .hasMessageContaining("Store Bench");
    }

    @Test
    void standardRegistryOffersTheIfmapBench() {
        assertThat(BenchRegistry.standard().find("ifmap")).get()
                .extracting(entry -> entry.factory().get()).isInstanceOf(IfmapBenchmark.class);
    }
}
