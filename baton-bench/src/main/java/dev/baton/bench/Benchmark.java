package dev.baton.bench;

/**
 * One named benchmark that {@link Bench} can run. An implementation measures Baton and, where one is
 * installed, its peer in the same run, and writes every figure through {@link Results}. A peer that is not
 * installed is reported as absent, never estimated.
 */
@FunctionalInterface
public interface Benchmark {
    /**
     * Runs the benchmark to completion. Request loops are bounded in count and time and talk only to
     * loopback.
     *
     * @param mode    how long the phases run
     * @param results where the figures go
     * @return true when Baton's side was measured (an absent peer is reported as absent and is not a
     *         failure); false when Baton's own side could not be measured (the reason written as a note)
     * @throws Exception when a measurement failed; the message says which
     */
    boolean run(RunMode mode, Results results) throws Exception;
}
