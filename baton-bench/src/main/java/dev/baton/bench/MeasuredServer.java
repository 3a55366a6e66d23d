package dev.baton.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * One server in an IF-MAP benchmark run: its publisher session and what its phases measured so far.
 * Phases are run one at a time by the benchmark, which alternates servers between them; each call adds a
 * round to that phase's totals. Closing ends the sessions and stops the server. Not thread safe.
 */
final class MeasuredServer implements AutoCloseable {
    static final int BATCH = 100;
    private static final int MAX_REQUESTS = 1_000_000;
    private static final int MAX_POLL_SAMPLES = 100_000;

    private final FederationUnderTest server;
    private final IfmapWorkload workload;
    private IfmapWorkload.Phase single = IfmapWorkload.Phase.empty();
    private IfmapWorkload.Phase batch = IfmapWorkload.Phase.empty();
    private IfmapWorkload.Phase search = IfmapWorkload.Phase.empty();
    private final LatencySamples poll = new LatencySamples();

    /** The medians and rates that the ratios compare. */
    record Figures(double singlePerSecond, double batchUpdatesPerSecond, double searchP50Millis,
                   double pollP50Millis) {
    }

    private MeasuredServer(FederationUnderTest server, IfmapWorkload workload) {
        this.server = server;
        this.workload = workload;
    }

    /** Opens the publisher's session on {@code server}; on failure the server is stopped. */
    static MeasuredServer open(FederationUnderTest server) throws Exception {
        try {
            return new MeasuredServer(server, IfmapWorkload.open(server.endpoint()));
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    String name() {
        return server.name();
    }

    /**
     * Exercises every measured path, unmeasured, so the JIT has compiled them before the first round: single
     * publishes and searches for {@code time}, then batch publishes and publish-to-poll for half as long each.
     */
    void warmUp(Duration time) throws Exception {
        workload.warmUp(time);
        workload.publishRate(BATCH, time.dividedBy(2), MAX_REQUESTS);
        try (PollLatencyProbe probe = PollLatencyProbe.open(server.endpoint(), workload.session())) {
            probe.measure(time.dividedBy(2), MAX_POLL_SAMPLES);
        }
    }

    void publishSingle(Duration time) throws Exception {
        single = single.plus(workload.publishRate(1, time, MAX_REQUESTS));
    }

    void publishBatch(Duration time) throws Exception {
        batch = batch.plus(workload.publishRate(BATCH, time, MAX_REQUESTS));
    }

    void search(Duration time) throws Exception {
        search = search.plus(workload.searchLatency(time, MAX_REQUESTS));
    }

    /** Subscribes a second session for this round only, so that publish phases run without subscribers. */
    void pollLatency(Duration time) throws Exception {
        try (PollLatencyProbe probe = PollLatencyProbe.open(server.endpoint(), workload.session())) {
            poll.addAll(probe.measure(time, MAX_POLL_SAMPLES));
        }
    }

    /** Writes every figure under this server's name and returns those the ratios use. */
    Figures report(Results results) {
        String name = name();
        results.figure(name + ".publish.single_per_second", single.perSecond());
        results.figure(name + ".publish.single_p50_ms", single.latencies().percentileMillis(50));
        results.figure(name + ".publish.single_p99_ms", single.latencies().percentileMillis(99));
        results.figure(name + ".publish.batch100_updates_per_second", batch.perSecond());
        results.figure(name + ".publish.batch100_p50_ms", batch.latencies().percentileMillis(50));
        results.figure(name + ".search.p50_ms", search.latencies().percentileMillis(50));
        results.figure(name + ".search.p99_ms", search.latencies().percentileMillis(99));
        results.figure(name + ".search.per_second", search.perSecond());
        results.figure(name + ".poll_latency.p50_ms", poll.percentileMillis(50));
        results.figure(name + ".poll_latency.p99_ms", poll.percentileMillis(99));
        results.figure(name + ".poll_latency.samples", poll.count());
        results.note(String.format(Locale.ROOT,
                "%s: client CPU per request (ms): single publish %.3f, batch publish %.3f, search %.3f",
                name, single.clientCpuMillisPerRequest(), batch.clientCpuMillisPerRequest(),
                search.clientCpuMillisPerRequest()));
        server.consoleSummary().ifPresent(results::note);
        return new Figures(single.perSecond(), batch.perSecond(), search.latencies().percentileMillis(50),
                poll.percentileMillis(50));
    }

    @Override
    public void close() {
        try {
            workload.close();
        } finally {
            server.close();
        }
    }
}
