package dev.baton.bench.sso;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * A fixed number of simulated browsers, one virtual thread each, repeating one flow against one provider as
 * fast as the provider answers: a warm-up, then a measured phase. A flow counts when it completes inside the
 * measured phase; a failed flow counts as a failure and its browser starts over (for the single sign-on path:
 * signs in again, outside the count). Not thread safe: one benchmark thread runs one load at a time.
 */
final class FlowLoad {
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
     * @param flows        flows completed inside the measured phase
     * @param failures     flows that failed inside the measured phase
     * @param seconds      how long the measured phase lasted
     * @param firstFailure the first failure seen (warm-up included), or null
     */
    record Outcome(long flows, long failures, double seconds, String firstFailure) {
        double perSecond() {
            return flows / seconds;
        }
    }

    private final List<BrowserClient> browsers = new ArrayList<>();

    /** {@code count} browsers against {@code target}, each with its own cookie jar. */
    FlowLoad(OidcTarget target, SSLContext tls, int count) {
        for (int i = 0; i < count; i++) {
            browsers.add(new BrowserClient(target, tls));
        }
    }

    /**
     * Runs {@code workload} on every browser at once: {@code warmUp}, then {@code phase} measured.
     *
     * @throws IllegalStateException when no flow completed in the measured phase (the message has the first failure)
     */
    Outcome run(Workload workload, Duration warmUp, Duration phase) throws InterruptedException {
        if (workload == Workload.SSO_FLOW) {
            everyBrowser(FlowLoad::signInForSession); // before the clock starts: a cold provider may take long
        }
        long measureFrom = System.nanoTime() + warmUp.toNanos();
        long measureTo = measureFrom + phase.toNanos();
        AtomicLong flows = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        everyBrowser(browser -> loop(browser, workload, measureFrom, measureTo, flows, failures, firstFailure));
        Outcome outcome = new Outcome(flows.get(), failures.get(), phase.toNanos() / 1e9, firstFailure.get());
        if (outcome.flows() == 0) {
            throw new IllegalStateException("no " + workload + " flow completed in the measured phase; "
                    + (outcome.firstFailure() == null ? "none failed: every flow took longer than the phase"
                    : "first failure: " + outcome.firstFailure()));
        }
        return outcome;
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

    private static void loop(BrowserClient browser, FlowLoad.Workload workload, long measureFrom, long measureTo,
                             AtomicLong flows, AtomicLong failures, AtomicReference<String> firstFailure) throws InterruptedException {
        boolean needsSession = false;
        while (System.nanoTime() < measureTo) {
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
                if (inside(System.nanoTime(), measureFrom, measureTo)) {
                    flows.incrementAndGet();
                }
            } catch (java.io.IOException | RuntimeException e) {
                if (inside(System.nanoTime(), measureFrom, measureTo)) {
                    failures.incrementAndGet();
                }
                firstFailure.compareAndSet(null, e.toString());
                needsSession = workload == Workload.SSO_FLOW;
                Thread.sleep(10); // a refusing provider is not spun against
            }
        }
    }

    private static boolean inside(long now, long from, long to) {
        return now >= from && now < to;
    }

    private static void join(Future<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a simulated browser stopped: " + e.getCause(), e.getCause());
        }
    }
}
