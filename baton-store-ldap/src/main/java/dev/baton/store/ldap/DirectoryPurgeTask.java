package dev.baton.store.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.RDN;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The directory purge task (S5): removes sessions whose timestamp column is older than now minus the
 * expiration offset, at no more than {@code maxUpdatesPerSecond} deletes per second over
 * {@code deleteThreads} threads. When sessions live in a directory this replaces the database cleanup.
 *
 * <p><b>Who purges.</b> Every node running a task of the same name writes a heartbeat entry each polling
 * interval. At each poll, and between batches of a pass, a node purges only if no live peer has a lower
 * priority index ({@link PurgeElection}). A node that stops cleanly removes its heartbeat, so the next one
 * takes over at its next poll; a node that dies is no longer live after {@code livenessIntervals} polling
 * intervals, so the next one takes over within {@code (livenessIntervals + 1) x pollingInterval}. A returning
 * higher-priority node is seen at the standby's next batch boundary or poll, and the standby stops.
 *
 * <p><b>A pass.</b> The cutoff is fixed when the pass starts; the pass counts what is removable (the backlog,
 * also used by the falling-behind alarm, see {@link BacklogMonitor}), then one paged search feeds the DNs,
 * {@code batchSize} per page, to the delete threads ({@link DeleteWorkers}) until nothing before that cutoff
 * is left. Sessions that expire meanwhile wait for the next pass.
 *
 * <p><b>Failures.</b> Scheduled work catches and logs everything (a scheduled task that throws is never run
 * again), counts it in {@code baton.ldap.purge.errors}, and tries again at the next poll.
 *
 * <p>Metrics (tags {@code task}, {@code node}): counters {@code baton.ldap.purge.deleted},
 * {@code baton.ldap.purge.errors}, {@code baton.ldap.purge.behind.alarms}; gauges
 * {@code baton.ldap.purge.backlog}, {@code baton.ldap.purge.inflow} (sessions/s becoming removable),
 * {@code baton.ldap.purge.leader} (1 while this node purges), {@code baton.ldap.purge.behind} (1 while
 * falling behind); timer {@code baton.ldap.purge.pass}.
 *
 * <p>Thread-safe; {@link #start()} once, {@link #close()} to stop.
 */
public final class DirectoryPurgeTask implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryPurgeTask.class);

    /**
     * What one poll did.
     *
     * @param leader     whether this node purged
     * @param leaderNode the node that purges now
     * @param backlog    removable sessions counted at the start of the pass (0 when standing by)
     * @param deleted    sessions this pass deleted
     * @param behind     whether the falling-behind alarm is raised
     */
    public record Pass(boolean leader, String leaderNode, long backlog, int deleted, boolean behind) {
    }

    private final LdapSessionStore store;
    private final PurgeSettings settings;
    private final InstantSource clock;
    private final Throttle throttle;
    private final Heartbeats heartbeats;
    private final BacklogMonitor monitor;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService deleters;
    private final Counter deletedCounter;
    private final Counter errorCounter;
    private final Counter alarmCounter;
    private final Timer passTimer;
    private final AtomicLong backlogGauge = new AtomicLong();
    private final AtomicReference<Double> inflowGauge = new AtomicReference<>(0.0);
    private final AtomicInteger leaderGauge = new AtomicInteger();
    private final AtomicInteger behindGauge = new AtomicInteger();
    private volatile boolean closed;
    private boolean started;
    private volatile Pass lastPass;
    private volatile Instant lastPassAt;

    /**
     * A task for the sessions of {@code store}; nothing runs until {@link #start()}.
     *
     * @param clock    the time used for cutoffs and heartbeats
     * @param registry where the metrics go
     */
    public DirectoryPurgeTask(LdapSessionStore store, PurgeSettings settings, InstantSource clock, MeterRegistry registry) {
        this(store, settings, clock, registry, Throttle.Ticker.SYSTEM);
    }

    DirectoryPurgeTask(LdapSessionStore store, PurgeSettings settings, InstantSource clock, MeterRegistry registry,
                       Throttle.Ticker ticker) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.throttle = new Throttle(settings.maxUpdatesPerSecond(), ticker);
        this.heartbeats = new Heartbeats(store.pool(), heartbeatBase(store, settings), settings.name(),
                settings.nodeName(), settings.priorityIndex());
        this.monitor = new BacklogMonitor(settings.maxUpdatesPerSecond());
        String prefix = "baton-purge-" + settings.name() + "-";
        this.scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().name(prefix + "poll-", 0).daemon().factory());
        this.deleters = Executors.newFixedThreadPool(settings.deleteThreads(), Thread.ofPlatform().name(prefix + "delete-", 0).daemon().factory());
        Tags tags = Tags.of("task", settings.name(), "node", settings.nodeName());
        this.deletedCounter = registry.counter("baton.ldap.purge.deleted", tags);
        this.errorCounter = registry.counter("baton.ldap.purge.errors", tags);
        this.alarmCounter = registry.counter("baton.ldap.purge.behind.alarms", tags);
        this.passTimer = registry.timer("baton.ldap.purge.pass", tags);
        registry.gauge("baton.ldap.purge.backlog", tags, backlogGauge);
        registry.gauge("baton.ldap.purge.inflow", tags, inflowGauge, AtomicReference::get);
        registry.gauge("baton.ldap.purge.leader", tags, leaderGauge);
        registry.gauge("baton.ldap.purge.behind", tags, behindGauge);
    }

    private static DN heartbeatBase(LdapSessionStore store, PurgeSettings settings) {
        if (settings.heartbeatBaseDn() != null) {
            try {
                return new DN(settings.heartbeatBaseDn());
            } catch (com.unboundid.ldap.sdk.LDAPException e) {
                throw new BatonException(ResultCode.CONFIGURATION,
                        PurgeSettings.PREFIX + "heartbeatBaseDn is not a valid DN: '" + settings.heartbeatBaseDn() + "'");
            }
        }
        return new DN(new RDN("ou", "purge-nodes"), store.baseDn());
    }

    /**
     * Starts heartbeats and polls every polling interval (the first poll after a random part of one
     * interval, so nodes started together do not poll in lock-step). Does nothing if the task is disabled.
     */
    public synchronized void start() {
        LOG.info("Directory purge task: {}", settings);
        if (!settings.enabled()) {
            LOG.info("Directory purge task {} is disabled on node {}", settings.name(), settings.nodeName());
            return;
        }
        if (started || closed) {
            throw new IllegalStateException("purge task " + settings.name() + " was already started or closed");
        }
        started = true;
        heartbeats.ensureBase();
        long interval = settings.pollingInterval().toNanos();
        scheduler.scheduleAtFixedRate(guarded("heartbeat", () -> heartbeats.beat(clock.instant())),
                0, interval, TimeUnit.NANOSECONDS);
        scheduler.scheduleWithFixedDelay(guarded("pass", this::runOnce),
                ThreadLocalRandom.current().nextLong(interval / 10 + 1), interval, TimeUnit.NANOSECONDS);
    }

    private Runnable guarded(String what, Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (Throwable t) { // a scheduled task that throws is cancelled forever
                if (closed) {
                    return;
                }
                errorCounter.increment();
                LOG.warn("Directory purge task {} on {}: {} failed: {}", settings.name(), settings.nodeName(), what, t.toString());
            }
        };
    }

    /**
     * One poll now, on the caller's thread: heartbeat, election, and a whole pass if this node leads. The
     * scheduler calls this every polling interval; operators and benchmarks may call it directly.
     */
    public Pass runOnce() {
        Pass pass = poll();
        lastPassAt = clock.instant();
        lastPass = pass;
        return pass;
    }

    /** The last poll's outcome and when it ended, for an operator's status page; empty before the first. */
    public java.util.Optional<java.util.Map.Entry<Instant, Pass>> lastPass() {
        Pass p = lastPass;
        return p == null ? java.util.Optional.empty() : java.util.Optional.of(java.util.Map.entry(lastPassAt, p));
    }

    private Pass poll() {
        Instant now = clock.instant();
        heartbeats.beat(now);
        String leader = leader(now);
        if (!leader.equals(settings.nodeName())) {
            standBy(leader);
            return new Pass(false, leader, 0, 0, false);
        }
        if (leaderGauge.getAndSet(1) == 0) {
            LOG.info("Directory purge task {}: node {} (priority {}) purges", settings.name(), settings.nodeName(),
                    settings.priorityIndex());
        }
        return passTimer.record(() -> purge(now));
    }

    private String leader(Instant now) {
        return PurgeElection.leader(settings.nodeName(), settings.priorityIndex(), heartbeats.all(), now,
                settings.livenessWindow());
    }

    private void standBy(String leader) {
        if (leaderGauge.getAndSet(0) == 1) {
            LOG.info("Directory purge task {}: node {} stands by, {} purges", settings.name(), settings.nodeName(), leader);
        }
        monitor.reset();
        behindGauge.set(0);
    }

    private Pass purge(Instant now) {
        Instant cutoff = now.minus(settings.expirationOffset());
        long backlog = store.countExpired(settings.column(), cutoff);
        boolean behind = checkBacklog(now, backlog);
        throttle.restart(); // the time since the last pass is idle, not lateness to make up
        DeleteWorkers workers = new DeleteWorkers(deleters, settings.deleteThreads(), settings.batchSize(), throttle,
                this::deleteOne, () -> closed);
        boolean[] handedBack = {false};
        int deleted;
        try {
            store.scanExpired(settings.column(), cutoff, settings.batchSize(), page -> {
                for (String dn : page) {
                    if (!offer(workers, dn)) {
                        return false;
                    }
                }
                // a returning higher-priority node takes the job back at the next page
                handedBack[0] = closed || !leader(clock.instant()).equals(settings.nodeName());
                return !handedBack[0];
            });
        } finally {
            deleted = handedBack[0] ? workers.abandon() : workers.finish();
            monitor.deleted(deleted);
        }
        return new Pass(true, settings.nodeName(), backlog, deleted, behind);
    }

    private static boolean offer(DeleteWorkers workers, String dn) {
        try {
            return workers.offer(dn);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean deleteOne(String dn) {
        boolean deleted = store.deleteEntry(dn);
        if (deleted) {
            deletedCounter.increment();
        }
        return deleted;
    }

    private boolean checkBacklog(Instant now, long backlog) {
        boolean wasBehind = monitor.behind();
        boolean behind = monitor.observe(now, backlog);
        backlogGauge.set(backlog);
        double inflow = monitor.inflowPerSecond();
        inflowGauge.set(Double.isNaN(inflow) ? 0.0 : inflow);
        behindGauge.set(behind ? 1 : 0);
        if (behind && !wasBehind) {
            alarmCounter.increment();
            LOG.warn("Directory purge task {} is falling behind: sessions become removable at {}/s but "
                            + "maxUpdatesPerSecond is {}; backlog {} sessions", settings.name(),
                    String.format(java.util.Locale.ROOT, "%.1f", inflow), settings.maxUpdatesPerSecond(), backlog);
        } else if (!behind && wasBehind) {
            LOG.info("Directory purge task {} keeps up again: {}/s become removable, backlog {}", settings.name(),
                    String.format(java.util.Locale.ROOT, "%.1f", inflow), backlog);
        }
        return behind;
    }

    /** Writes this node's heartbeat now, without a pass (tests: a node coming back). */
    void heartbeatOnlyForTest() {
        heartbeats.beat(clock.instant());
    }

    /** Whether this node purged at its last poll. */
    public boolean leading() {
        return leaderGauge.get() == 1;
    }

    /** The settings. */
    public PurgeSettings settings() {
        return settings;
    }

    /** Stops polling and deleting, and removes this node's heartbeat so a standby takes over at once. */
    @Override
    public void close() {
        halt();
        if (settings.enabled()) {
            try {
                heartbeats.retire();
            } catch (BatonException e) {
                LOG.warn("Directory purge task {}: could not remove heartbeat of {}: {}", settings.name(),
                        settings.nodeName(), e.getMessage());
            }
        }
    }

    /** Stops without removing the heartbeat, as a crash would (standbys wait for it to go stale). */
    synchronized boolean halt() {
        closed = true;
        scheduler.shutdownNow();
        deleters.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leaderGauge.set(0);
        boolean wasStarted = started;
        started = false;
        return wasStarted;
    }
}
