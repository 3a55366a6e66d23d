package dev.baton.bench;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Baton's IF-MAP federation server side by side with irond, the reference IF-MAP 2.x server, both on
 * loopback and both driven by the same ifmapj client code.
 *
 * <p>Per server: a warm-up, then single-update publishes (one update per request), publishes of 100
 * updates per request, searches of one session (p50/p99) and publish-to-poll latency through a second,
 * subscribed session (p50/p99); see {@link IfmapWorkload} and {@link PollLatencyProbe}. Each phase runs
 * for {@link RunMode#phase()} on one connection, one request at a time. Then the ratios
 * {@code ratio.publish}, {@code ratio.publish_batch} (throughput, Baton / irond, higher is better) and
 * {@code ratio.search_latency}, {@code ratio.poll_latency} (median latency, Baton / irond, lower is better).
 *
 * <p>irond is started from the folder named by the environment variable {@code IROND_HOME} (see
 * {@link IrondHome}); when that is unset or unusable the run says {@code RESULT peer.irond=absent} and
 * measures Baton alone. Baton's server runs in this process (see {@link BatonFederation}).
 *
 * <p>Usage: {@code IfmapBenchmark [--quick]}, the same as {@code Bench ifmap [--quick]}.
 */
public final class IfmapBenchmark implements Benchmark {
    static final String PEER = "irond";
    static final int BATCH = 100;
    private static final int MAX_REQUESTS = 1_000_000;
    private static final int MAX_POLL_SAMPLES = 100_000;

    /** The medians and rates that the ratios compare. */
    record Figures(double singlePerSecond, double batchUpdatesPerSecond, double searchP50Millis,
                   double pollP50Millis) {
    }

    private final String irondHome;
    private final Function<Consumer<String>, Optional<FederationUnderTest>> batonStarter;

    /**
     * The benchmark as registered: irond comes from the environment variable {@code IROND_HOME}, Baton's
     * server from {@link BatonFederation}.
     */
    public IfmapBenchmark() {
        this(System.getenv("IROND_HOME"), BatonFederation::start);
    }

    /**
     * The benchmark with irond taken from {@code irondHome} (null: no irond) and Baton's server from
     * {@code batonStarter} (which tells its argument why, when it returns empty).
     */
    IfmapBenchmark(String irondHome, Function<Consumer<String>, Optional<FederationUnderTest>> batonStarter) {
        this.irondHome = irondHome;
        this.batonStarter = batonStarter;
    }

    /** Runs this benchmark as {@code Bench ifmap [--quick]} would, and exits with its status. */
    public static void main(String[] args) {
        String[] withName = new String[args.length + 1];
        withName[0] = "ifmap";
        System.arraycopy(args, 0, withName, 1, args.length);
        Bench.main(withName);
    }

    @Override
    public boolean run(RunMode mode, Results results) throws Exception {
        Optional<Figures> baton = measureBaton(mode, results);
        Optional<Figures> irond = measureIrond(mode, results);
        if (baton.isPresent() && irond.isPresent()) {
            writeRatios(baton.get(), irond.get(), results);
        } else {
            results.note("ratios not computed: " + (baton.isEmpty() ? "baton" : PEER) + " was not measured");
        }
        return baton.isPresent();
    }

    private Optional<Figures> measureBaton(RunMode mode, Results results) throws Exception {
        Optional<FederationUnderTest> server = batonStarter.apply(results::note);
        if (server.isEmpty()) {
            results.state("baton.federation", "absent");
            return Optional.empty();
        }
        try (FederationUnderTest running = server.get()) {
            return Optional.of(measure(running, mode, results));
        }
    }

    private Optional<Figures> measureIrond(RunMode mode, Results results) throws Exception {
        Optional<IrondHome> home = IrondHome.of(irondHome, reason -> results.note(PEER + ": " + reason));
        if (home.isEmpty()) {
            results.state("peer." + PEER, "absent");
            return Optional.empty();
        }
        results.state("peer." + PEER, "present");
        try (IrondPeer irond = IrondPeer.start(home.get())) {
            return Optional.of(measure(irond, mode, results));
        }
    }

    /** Runs every phase against {@code server} and writes its figures under its name. */
    static Figures measure(FederationUnderTest server, RunMode mode, Results results) throws Exception {
        String name = server.name();
        FederationUnderTest.Endpoint endpoint = server.endpoint();
        results.note(name + ": measuring at " + endpoint.url());
        try (IfmapWorkload workload = IfmapWorkload.open(endpoint)) {
            workload.warmUp(mode.warmUp());
            IfmapWorkload.Phase single = workload.publishRate(1, mode.phase(), MAX_REQUESTS);
            results.figure(name + ".publish.single_per_second", single.perSecond());
            results.figure(name + ".publish.single_p50_ms", single.latencies().percentileMillis(50));
            results.figure(name + ".publish.single_p99_ms", single.latencies().percentileMillis(99));
            IfmapWorkload.Phase batch = workload.publishRate(BATCH, mode.phase(), MAX_REQUESTS);
            results.figure(name + ".publish.batch100_updates_per_second", batch.perSecond());
            results.figure(name + ".publish.batch100_p50_ms", batch.latencies().percentileMillis(50));
            IfmapWorkload.Phase search = workload.searchLatency(mode.phase(), MAX_REQUESTS);
            results.figure(name + ".search.p50_ms", search.latencies().percentileMillis(50));
            results.figure(name + ".search.p99_ms", search.latencies().percentileMillis(99));
            results.figure(name + ".search.per_second", search.perSecond());
            results.note(String.format(java.util.Locale.ROOT,
                    "%s: client CPU per request (ms): single publish %.3f, batch publish %.3f, search %.3f",
                    name, single.clientCpuMillisPerRequest(), batch.clientCpuMillisPerRequest(),
                    search.clientCpuMillisPerRequest()));
            LatencySamples poll;
            try (PollLatencyProbe probe = PollLatencyProbe.open(endpoint, workload.session())) {
                poll = probe.measure(mode.phase(), MAX_POLL_SAMPLES);
            }
            results.figure(name + ".poll_latency.p50_ms", poll.percentileMillis(50));
            results.figure(name + ".poll_latency.p99_ms", poll.percentileMillis(99));
            results.figure(name + ".poll_latency.samples", poll.count());
            return new Figures(single.perSecond(), batch.perSecond(), search.latencies().percentileMillis(50),
                    poll.percentileMillis(50));
        }
    }

    /** Throughput ratios are Baton / peer (higher is better); latency ratios too (lower is better). */
    static void writeRatios(Figures baton, Figures peer, Results results) {
        results.ratio("publish", PEER, baton.singlePerSecond(), peer.singlePerSecond());
        results.ratio("publish_batch", PEER, baton.batchUpdatesPerSecond(), peer.batchUpdatesPerSecond());
        results.ratio("search_latency", PEER, baton.searchP50Millis(), peer.searchP50Millis());
        results.ratio("poll_latency", PEER, baton.pollP50Millis(), peer.pollP50Millis());
        results.note("goal: publish ratios >= 3, latency ratios <= 0.333");
    }
}
