package dev.baton.bench.sso;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * A fixed number of simulated browsers, one virtual thread each, repeating one flow against one provider as
 * fast as the provider answers: a warm-up, then a measured phase. The browsers count completed and failed flows
 * as they go; the benchmark thread reads the counters window by window. The warm-up lasts at least its minimum
 * and then goes on, window by window (each as long as the measured phase), while the rate still climbs by more
 * than {@value #SETTLED_PERCENT}% from one window to the next, up to its maximum: a provider whose JVM just
 * started is measured once its compiler has caught up, not before. A failed flow counts as a failure and its
 * browser starts over (for the single sign-on path: signs in again, outside the count). Not thread safe: one
 * benchmark thread runs one load at a time.
 */
final class FlowLoad {
    static final int SETTLED_PERCENT = 10;

    /** What one simulated browser repeats. */
    enum Workload {
        /** The single sign-on path: authorize with a session cookie, code, token. Each browser signs in once first. */
        SSO_FLOW,
        /** A full sign-in from a browser without cookies: authorize, sign-in page, form, code, token. */
        SIGN_IN
    }

    /**
     * What a phase measured.
     *
     * @param flows         flows completed inside the measured phase
     * @param failures      flows that failed inside the measured phase
     * @param seconds       how long the measured phase lasted
     * @param warmUpSeconds how long the warm-up before it lasted
     * @param serverCpu     CPU seconds the provider's process used in the measured phase, or NaN when unknown
     * @param firstFailure  the first failure seen (warm-up included), or null
     */
    record Outcome(long flows, long failures, double seconds, double warmUpSeconds, double serverCpu, String firstFailure) {
        double perSecond() {
            return flows / seconds;
        }

        /** The provider's CPU milliseconds per completed flow, or NaN when unknown. */
        double serverCpuMillisPerFlow() {
            return serverCpu * 1000 / flows;
        }
    }

    /** How long the warm-up lasts: at least {@code min}, at most {@code max}. */
    record WarmUp(Duration min, Duration max) {
    }

    private final List<BrowserClient> browsers = new ArrayList<>();
    private final ProcessHandle server;
    private final AtomicLong flows = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private volatile boolean stop;

    /**
     * {@code count} browsers against {@code target}, each with its own cookie jar; {@code server} is the provider's
     * process, whose CPU time is read around the measured phase.
     */
    FlowLoad(OidcTarget target, SSLContext tls, int count, ProcessHandle server) {
        this.server = server;
        for (int i = 0; i < count; i++) {
            browsers.add(new BrowserClient(target, tls));
        }
    }

    /**
     * Runs {@code workload} on every browser at once: the warm-up, then {@code phase} measured.
     *
     * @throws IllegalStateException when no flow completed in the measured phase (the message has the first failure)
     */
    Outcome run(Workload workload, WarmUp warmUp, Duration phase) throws InterruptedException {
        if (workload == Workload.SSO_FLOW) {
            everyBrowser(FlowLoad::signInForSession); // before the clock starts: a cold provider may take long
        }
        firstFailure.set(null);
        stop = false;
        long[] measured;
        long warmedNanos;
        double cpu;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            browsers.forEach(b -> running.add(threads.submit(() -> {
                loop(b, workload);
                return null;
            })));
            long start = System.nanoTime();
            warm(warmUp, phase);
            warmedNanos = System.nanoTime() - start;
            long[] before = {flows.get(), failures.get()};
            double cpuBefore = cpuSeconds();
            Thread.sleep(phase);
            measured = new long[] {flows.get() - before[0], failures.get() - before[1]};
            cpu = cpuSeconds() - cpuBefore;
            stop = true;
            for (Future<?> f : running) {
                join(f);
            }
        }
        Outcome outcome = new Outcome(measured[0], measured[1], phase.toNanos() / 1e9, warmedNanos / 1e9, cpu, firstFailure.get());
        if (outcome.flows() == 0) {
            throw new IllegalStateException("no " + workload + " flow completed in the measured phase; "
                    + (outcome.firstFailure() == null ? "none failed: every flow took longer than the phase"
                    : "first failure: " + outcome.firstFailure()));
        }
        return outcome;
    }

    /**
     * Waits out the minimum (its last window counted), then goes on window by window while the count still
     * climbs by more than {@value #SETTLED_PERCENT}%, until the maximum.
     */
    private void warm(WarmUp warmUp, Duration window) throws InterruptedException {
        if (warmUp.max().compareTo(warmUp.min()) <= 0) {
            Thread.sleep(warmUp.min());
            return;
        }
        long deadline = System.nanoTime() + warmUp.max().toNanos();
        Thread.sleep(warmUp.min().compareTo(window) > 0 ? warmUp.min().minus(window) : Duration.ZERO);
        long previous = countOver(window);
        while (System.nanoTime() + window.toNanos() <= deadline) {
            long count = countOver(window);
            if (count * 100 <= previous * (100 + SETTLED_PERCENT)) {
                return;
            }
            previous = count;
        }
    }

    private long countOver(Duration window) throws InterruptedException {
        long before = flows.get();
        Thread.sleep(window);
        return flows.get() - before;
    }

    /**
     * The CPU time so far of the provider's process and its descendants (Keycloak's {@code kc.sh start-dev} runs
     * its JVM as a child), seconds; NaN when the operating system does not tell.
     */
    private double cpuSeconds() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(server), server.descendants())
                .mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN)).sum();
    }

    /** Signs in, trying again a few times: a provider may refuse a burst of sign-ins (Baton: 503 overloaded). */
    private static void signInForSession(BrowserClient browser) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                browser.signIn();
                return;
            } catch (java.io.IOException | RuntimeException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(500L * attempt);
            }
        }
    }

    /** What one browser does, on its own virtual thread. */
    private interface BrowserTask {
        void run(BrowserClient browser) throws Exception;
    }

    /** Runs {@code task} on every browser at once and waits for all. */
    private void everyBrowser(BrowserTask task) throws InterruptedException {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (BrowserClient browser : browsers) {
                running.add(threads.submit(() -> {
                    task.run(browser);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                join(f);
            }
        }
    }

    private void loop(BrowserClient browser, Workload workload) throws InterruptedException {
        boolean needsSession = false;
        while (!stop) {
            try {
                if (needsSession) {
                    browser.signIn();
                    needsSession = false;
                    continue;
                }
                if (workload == Workload.SSO_FLOW) {
                    browser.ssoFlow();
                } else {
                    browser.signIn();
                }
                flows.incrementAndGet();
            } catch (java.io.IOException | RuntimeException e) {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, e.toString());
                needsSession = workload == Workload.SSO_FLOW;
                Thread.sleep(10); // a refusing provider is not spun against
            }
        }
    }

    private static void join(Future<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a simulated browser stopped: " + e.getCause(), e.getCause());
        }
    }
}
