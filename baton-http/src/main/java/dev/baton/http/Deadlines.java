package dev.baton.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time limits of blocking requests, kept by one timer thread that aborts a request once it is overdue,
 * instead of a timeout on every socket read.
 *
 * <p>Why: a socket read with a timeout on a virtual thread parks with a timer. The scheduler queues a delayed
 * task to wake the thread, cancels it when the data comes, and wakes its timer thread both times, for every
 * read; a request on the migration path is a few short reads. A read without a timeout just parks. The limit still holds: this class's thread runs the request's abort
 * action (closing its connection) at most {@value #TICK_MILLIS} ms after the limit, and the blocked read fails.
 *
 * <p>Use: {@code try (var w = Deadlines.watch(limit, request::cancel)) { ... } catch (IOException e) {
 * if (w.fired()) ... }}. Thread-safe.
 */
public final class Deadlines {
    private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);
    /** How often the timer thread looks for overdue requests. */
    static final long TICK_MILLIS = 20;
    private static final Set<Watch> WATCHED = ConcurrentHashMap.newKeySet();

    static {
        Thread.ofPlatform().daemon().name("baton-deadlines").start(Deadlines::run);
    }

    private Deadlines() {
    }

    /**
     * Watches a request that must finish within {@code limit}: unless the watch is closed first, {@code abort}
     * runs once, on the timer thread, shortly after the limit.
     *
     * @param abort what ends the request (closes its connection); must not block
     */
    public static Watch watch(Duration limit, Runnable abort) {
        Watch w = new Watch(System.nanoTime() + limit.toNanos(), Objects.requireNonNull(abort, "abort"));
        WATCHED.add(w);
        return w;
    }

    /** How many requests are being watched now; for tests. */
    static int watched() {
        return WATCHED.size();
    }

    private static void run() {
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            long now = System.nanoTime();
            for (Watch w : WATCHED) {
                if (now - w.deadline >= 0 && WATCHED.remove(w)) {
                    w.fired = true;
                    try {
                        w.abort.run();
                    } catch (Throwable e) {
                        // Catch everything, errors too: this one thread keeps the limit of every request of the
                        // process, and a dead timer would leave them all without one.
                        LOG.warn("aborting an overdue request failed", e);
                    }
                }
            }
        }
    }

    /** One watched request. Closing it (when the request is done) stops the watch. */
    public static final class Watch implements AutoCloseable {
        private final long deadline;
        private final Runnable abort;
        private volatile boolean fired;

        private Watch(long deadline, Runnable abort) {
            this.deadline = deadline;
            this.abort = abort;
        }

        /** Whether the limit passed and the request was aborted. */
        public boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            WATCHED.remove(this);
        }
    }
}
