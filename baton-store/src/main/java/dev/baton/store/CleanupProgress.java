package dev.baton.store;

/**
 * Told after each cleanup batch; the CLI prints progress from it. Called on the thread that runs the
 * cleanup; must return quickly.
 */
@FunctionalInterface
public interface CleanupProgress {
    /** Ignores progress. */
    CleanupProgress NONE = (batchDeleted, totalDeleted, remainingEstimate) -> { };

    /**
     * @param batchDeleted      sessions the last batch deleted
     * @param totalDeleted      sessions deleted so far in this run
     * @param remainingEstimate removable sessions counted at the start of the run minus those deleted (never negative)
     */
    void afterBatch(int batchDeleted, long totalDeleted, long remainingEstimate);
}
