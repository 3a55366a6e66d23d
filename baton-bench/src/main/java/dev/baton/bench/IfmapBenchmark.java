package dev.baton.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * on one connection, one request at a time. Both servers run at once and take turns phase by phase, for
 * {@link RunMode#rounds()} rounds, so that other load on the machine falls on both alike. Then the ratios
 * {@code ratio.publish}, {@code ratio.publish_batch} (throughput, Baton / irond, higher is better) and
 * {@code ratio.search_latency}, {@code ratio.poll_latency} (median latency, Baton / irond, lower is better).
 *
 * <p>irond is started from the folder named by the environment variable {@code IROND_HOME} (see
 * {@link IrondHome}); when that is unset or unusable the run says {@code RESULT peer.irond=absent} and
 * measures Baton alone. Baton's server is measured twice: in this process (see {@link BatonFederation})
 * and as a user runs it, {@code baton federation} in its own JVM with its defaults (see
 * {@link BatonProcess}); {@code ratio.*.process_vs_inprocess} compares the two.
 *
 * <p>Usage: {@code IfmapBenchmark [--quick]}, the same as {@code Bench ifmap [--quick]}.
 */
public final class IfmapBenchmark implements Benchmark {
    static final String PEER = "irond";

    private final String irondHome;
    private final Function<Consumer<String>, Optional<FederationUnderTest>> batonStarter;
    private final Function<Consumer<String>, Optional<FederationUnderTest>> processStarter;

    /**
     * The benchmark as registered: irond comes from the environment variable {@code IROND_HOME}, Baton's
     * server in-process from {@link BatonFederation}, Baton's server as a user runs it from
     * {@link BatonProcess}.
     */
    public IfmapBenchmark() {
        this(System.getenv("IROND_HOME"), BatonFederation::start, BatonProcess::start);
    }

    /**
     * The benchmark with irond taken from {@code irondHome} (null: no irond), Baton's in-process server from
     * {@code batonStarter} and Baton's server process from {@code processStarter} (each tells its argument
     * why, when it returns empty).
     */
    IfmapBenchmark(String irondHome, Function<Consumer<String>, Optional<FederationUnderTest>> batonStarter,
                   Function<Consumer<String>, Optional<FederationUnderTest>> processStarter) {
        this.irondHome = irondHome;
        this.batonStarter = batonStarter;
        this.processStarter = processStarter;
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
        List<MeasuredServer> servers = new ArrayList<>();
        try {
            Optional<MeasuredServer> baton = startBaton(batonStarter, "baton", results);
            baton.ifPresent(servers::add);
            Optional<MeasuredServer> process = startBaton(processStarter, BatonProcess.NAME, results);
            process.ifPresent(servers::add);
            Optional<MeasuredServer> irond = startIrond(results);
            irond.ifPresent(servers::add);
            measure(servers, mode, results);
            Map<String, MeasuredServer.Figures> figures = new LinkedHashMap<>();
            for (MeasuredServer server : servers) {
                figures.put(server.name(), server.report(results));
            }
            writeAllRatios(figures, results);
            return baton.isPresent() && process.isPresent();
        } finally {
            servers.forEach(MeasuredServer::close);
        }
    }

    private static Optional<MeasuredServer> startBaton(Function<Consumer<String>, Optional<FederationUnderTest>> starter,
                                                       String name, Results results) throws Exception {
        Optional<FederationUnderTest> server = starter.apply(results::note);
        if (server.isEmpty()) {
            results.state(name + ".federation", "absent");
            return Optional.empty();
        }
        results.note(name + ": " + server.get().endpoint().url());
        return Optional.of(MeasuredServer.open(server.get()));
    }

    private Optional<MeasuredServer> startIrond(Results results) throws Exception {
        Optional<IrondHome> home = IrondHome.of(irondHome, reason -> results.note(PEER + ": " + reason));
        if (home.isEmpty()) {
            results.state("peer." + PEER, "absent");
            return Optional.empty();
        }
        results.state("peer." + PEER, "present");
        IrondPeer irond = IrondPeer.start(home.get());
        results.note(PEER + ": " + irond.endpoint().url());
        return Optional.of(MeasuredServer.open(irond));
    }

    /** Warms every server up, then runs each phase on each server in turn, round after round. */
    private static void measure(List<MeasuredServer> servers, RunMode mode, Results results) throws Exception {
        for (MeasuredServer server : servers) {
            server.warmUp(mode.warmUp());
        }
        for (int round = 1; round <= mode.rounds(); round++) {
            results.note("round " + round + " of " + mode.rounds());
            for (MeasuredServer server : servers) {
                server.publishSingle(mode.phase());
            }
            for (MeasuredServer server : servers) {
                server.publishBatch(mode.phase());
            }
            for (MeasuredServer server : servers) {
                server.search(mode.phase());
            }
            for (MeasuredServer server : servers) {
                server.pollLatency(mode.phase());
            }
        }
    }

    /**
     * The ratios of whichever servers were measured: Baton in-process and Baton's process each against
     * irond, and Baton's process against Baton in-process (what running as a user does costs).
     */
    static void writeAllRatios(Map<String, MeasuredServer.Figures> figures, Results results) {
        MeasuredServer.Figures baton = figures.get("baton");
        MeasuredServer.Figures process = figures.get(BatonProcess.NAME);
        MeasuredServer.Figures irond = figures.get(PEER);
        if (irond != null) {
            if (baton != null) {
                writeRatios(baton, irond, results);
            }
            if (process != null) {
                writeRatios(BatonProcess.NAME, process, PEER, irond, results);
            }
        } else {
            results.note("ratios against " + PEER + " not computed: " + PEER + " was not measured");
        }
        if (baton != null && process != null) {
            writeRatios("process", process, "inprocess", baton, results);
            results.note("goal: " + BatonProcess.NAME + " within 2x of baton in-process (poll_latency ratio <= 2)");
        }
    }

    /** Throughput ratios are Baton / peer (higher is better); latency ratios too (lower is better). */
    static void writeRatios(MeasuredServer.Figures baton, MeasuredServer.Figures peer, Results results) {
        writeRatios("baton", baton, PEER, peer, results);
        results.note("goal: publish ratios >= 3, latency ratios <= 0.333");
    }

    /** Writes {@code ratio.FIGURE.SUBJECT_vs_PEER} for the four figures the ratios compare. */
    private static void writeRatios(String subjectName, MeasuredServer.Figures subject, String peerName,
                                    MeasuredServer.Figures peer, Results results) {
        results.ratio("publish", subjectName, peerName, subject.singlePerSecond(), peer.singlePerSecond());
        results.ratio("publish_batch", subjectName, peerName, subject.batchUpdatesPerSecond(),
                peer.batchUpdatesPerSecond());
        results.ratio("search_latency", subjectName, peerName, subject.searchP50Millis(), peer.searchP50Millis());
        results.ratio("poll_latency", subjectName, peerName, subject.pollP50Millis(), peer.pollP50Millis());
    }
}
