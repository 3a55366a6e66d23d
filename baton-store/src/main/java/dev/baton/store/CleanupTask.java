package dev.baton.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The database cleanup task (S3, S4, S6): removes sessions whose chosen timestamp column is older than now
 * minus the offset, in batches, until none is left.
 *
 * <p>Only a node configured as the console node schedules runs ({@link #start}); a lease kept in the storage
 * makes sure that even two misconfigured console nodes never delete at the same time. A run takes the lease,
 * renews it between batches once half its term ({@code store.cleanup.lease-seconds}) is gone, stops if another
 * node has taken it meanwhile, and gives it up at the end. A failed run is logged and counted, and the next
 * one still happens: the scheduled body catches everything, because a scheduled task that throws is never
 * run again. The first run is delayed by a random tenth of the interval so that nodes started together do
 * not sweep in lock-step.
 *
 * <p>Operators (and the CLI) call {@link #dryRunCount()} and {@link #runOnce(CleanupProgress)} directly.
 *
 * <p>Metrics: {@code baton.store.cleanup.deleted} and {@code .batches} (counters), {@code .duration} (timer per
 * run), {@code .last.run} (gauge, epoch seconds of the last completed run, 0 before), {@code .backlog} (gauge,
 * removable sessions still left as last seen), {@code .failures} and {@code .skipped} (counters).
 *
 * <p>Thread-safe; runs on one node are serialized by the lease.
 */
public final class CleanupTask implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CleanupTask.class);

    private final SessionStore store;
    private final CleanupLease lease;
    private final CleanupSettings settings;
    private final String node;
    private final InstantSource clock;
    private final Counter deleted;
    private final Counter batches;
    private final Counter failures;
    private final Counter skipped;
    private final Timer duration;
    private final AtomicLong lastRunEpochSeconds = new AtomicLong();
    private final AtomicLong backlog = new AtomicLong();
    private volatile ScheduledFuture<?> scheduled;
    private volatile CleanupReport lastReport;
    private volatile java.util.function.Consumer<CleanupReport> reports = r -> { };

    /**
     * @param node the name this node holds the lease under (its gateway name)
     */
    public CleanupTask(SessionStore store, CleanupLease lease, CleanupSettings settings, String node,
                       InstantSource clock, MeterRegistry registry) {
        this.store = Objects.requireNonNull(store, "store");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.node = Objects.requireNonNull(node, "node");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deleted = Counter.builder("baton.store.cleanup.deleted").description("sessions deleted by cleanup").register(registry);
        this.batches = Counter.builder("baton.store.cleanup.batches").description("cleanup delete statements").register(registry);
        this.failures = Counter.builder("baton.store.cleanup.failures").description("cleanup runs that failed").register(registry);
        this.skipped = Counter.builder("baton.store.cleanup.skipped").description("runs skipped: lease held elsewhere").register(registry);
        this.duration = Timer.builder("baton.store.cleanup.duration").description("duration of cleanup runs").register(registry);
        registry.gauge("baton.store.cleanup.last.run", lastRunEpochSeconds);
        registry.gauge("baton.store.cleanup.backlog", backlog);
    }

    /** The settings this task runs with. */
    public CleanupSettings settings() {
        return settings;
    }

    /** How many sessions a run started now would remove (the CLI's {@code --dry-run}); deletes nothing. */
    public long dryRunCount() {
        long count = store.countExpired(settings.column(), cutoff());
        backlog.set(count);
        return count;
    }

    /**
     * Runs once now, whether or not this is the console node (an operator asked for it), unless another node
     * holds the lease.
     *
     * @param progress told after every batch
     * @throws dev.baton.core.BatonException if the storage fails; what was deleted before stays deleted
     */
    public CleanupReport runOnce(CleanupProgress progress) {
        Instant cutoff = cutoff();
        long started = System.nanoTime(); // elapsed time for metrics, not session logic
        if (!lease.tryAcquire(node, clock.instant(), settings.lease())) {
            skipped.increment();
            LOG.info("cleanup skipped on {}: another node holds the cleanup lease", node);
            return new CleanupReport(CleanupReport.Outcome.LEASE_HELD_ELSEWHERE, 0, 0, cutoff, Duration.ZERO);
        }
        try {
            return deleteInBatches(cutoff, started, Objects.requireNonNull(progress, "progress"));
        } finally {
            lease.release(node);
        }
    }

    private CleanupReport deleteInBatches(Instant cutoff, long started, CleanupProgress progress) {
        Instant renewAt = clock.instant().plus(settings.lease().dividedBy(2));
        long remaining = store.countExpired(settings.column(), cutoff);
        backlog.set(remaining);
        long total = 0;
        int statements = 0;
        CleanupReport.Outcome outcome = CleanupReport.Outcome.COMPLETED;
        Instant from = Instant.EPOCH;
        while (true) {
            ExpiredBatch batch = store.deleteExpired(settings.column(), from, cutoff, settings.batchSize());
            int n = batch.deleted();
            if (n == 0) {
                break;
            }
            from = batch.newest();
            total += n;
            statements++;
            deleted.increment(n);
            batches.increment();
            backlog.set(Math.max(0, remaining - total));
            progress.afterBatch(n, total, Math.max(0, remaining - total));
            // renew once half the term is gone, not after every batch: each renewal is a commit of its own
            if (!clock.instant().isBefore(renewAt)) {
                if (!lease.tryAcquire(node, clock.instant(), settings.lease())) {
                    outcome = CleanupReport.Outcome.LEASE_LOST;
                    break;
                }
                renewAt = clock.instant().plus(settings.lease().dividedBy(2));
            }
        }
        return finished(new CleanupReport(outcome, total, statements, cutoff, Duration.ofNanos(System.nanoTime() - started)));
    }

    /** Records a run that took the lease: metrics, status, the report's listener, the log. */
    private CleanupReport finished(CleanupReport report) {
        duration.record(report.elapsed());
        if (report.outcome() == CleanupReport.Outcome.COMPLETED) {
            backlog.set(0);
        }
        lastRunEpochSeconds.set(clock.instant().getEpochSecond());
        lastReport = report;
        reports.accept(report);
        LOG.info("cleanup on {}: {} sessions with {} before {} deleted in {} batches of up to {} in {} ms ({})",
                node, report.deleted(), settings.column().column(), report.cutoff(), report.batches(), settings.batchSize(),
                report.elapsed().toMillis(), report.outcome());
        return report;
    }

    /**
     * Schedules runs every {@code interval-ms} on {@code scheduler} if this is the console node and the interval
     * is not 0; otherwise does nothing and says so in the log.
     *
     * @return whether runs were scheduled
     */
    public boolean start(ScheduledExecutorService scheduler) {
        if (!settings.scheduled()) {
            LOG.info("cleanup not scheduled on {}: {}", node,
                    settings.consoleNode() ? "store.cleanup.interval-ms is 0" : "not the console node");
            return false;
        }
        long interval = settings.intervalMillis();
        long jitter = ThreadLocalRandom.current().nextLong(interval / 10 + 1);
        scheduled = scheduler.scheduleWithFixedDelay(this::runGuarded, jitter, interval, TimeUnit.MILLISECONDS);
        LOG.info("cleanup scheduled on {} every {} ms (first in {} ms): {}", node, interval, jitter, settings);
        return true;
    }

    /** The scheduled body: never throws, so the schedule never dies. */
    void runGuarded() {
        try {
            runOnce(CleanupProgress.NONE);
        } catch (Throwable t) { // NOPMD - a scheduled task that throws is cancelled forever
            failures.increment();
            LOG.error("cleanup run on {} failed; the next run is still scheduled: {}", node, t.toString(), t);
        }
    }

    private Instant cutoff() {
        return clock.instant().minus(Duration.ofMinutes(settings.offsetMinutes()));
    }

    /** Tells {@code listener} (an audit log) about every run that took the lease; replaces any earlier one. */
    public void reportTo(java.util.function.Consumer<CleanupReport> listener) {
        this.reports = Objects.requireNonNull(listener, "listener");
    }

    /**
     * What an operator's status page shows.
     *
     * @param scheduled   whether this node runs cleanups on a timer
     * @param lastRun     when a run on this node last finished
     * @param lastReport  what it did
     * @param nextRun     when the next scheduled run starts
     * @param leaseHolder the node running a cleanup now, on any node
     * @param backlog     removable sessions left as last seen
     */
    public record Status(boolean scheduled, Optional<Instant> lastRun, Optional<CleanupReport> lastReport,
                         Optional<Instant> nextRun, Optional<String> leaseHolder, long backlog) {
    }

    /** This task's status now; asks the storage who holds the lease. */
    public Status status() {
        Instant now = clock.instant();
        long last = lastRunEpochSeconds.get();
        ScheduledFuture<?> f = scheduled;
        Optional<Instant> next = f == null || f.isDone() ? Optional.empty()
                : Optional.of(now.plusMillis(Math.max(0, f.getDelay(TimeUnit.MILLISECONDS))));
        return new Status(f != null, last == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(last)),
                Optional.ofNullable(lastReport), next, lease.holder(now), backlog.get());
    }

    /** Stops scheduled runs; a run in progress finishes. */
    @Override
    public void close() {
        ScheduledFuture<?> f = scheduled;
        if (f != null) {
            f.cancel(false);
        }
    }
}
