package dev.baton.bench.security;

import dev.baton.agent.Agent;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.bench.Benchmark;
import dev.baton.bench.LatencySamples;
import dev.baton.bench.MachineSpeed;
import dev.baton.bench.Results;
import dev.baton.bench.RunMode;
import dev.baton.gateway.LocalAccounts;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./baton bench requests}: what proof of possession on every request costs. Agents signed in at one HTTPS
 * gateway send {@code access} requests, each with its own signed, agent-made challenge, from 16 threads at once
 * (saturation), then from one (latency). {@code requests.per_second}, {@code requests.p50_ms}, {@code requests.p99_ms};
 * {@code requests.cpu_us_per_request} is the process's CPU per request (agents included) and
 * {@code machine.verify_us} the yardstick (one Ed25519 verification), so runs on different machines compare.
 */
public final class RequestBenchmark implements Benchmark {
    @Override
    public boolean run(RunMode mode, Results results) throws Exception {
        Duration phase = mode == RunMode.QUICK ? Duration.ofSeconds(8) : Duration.ofSeconds(30);
        results.figure("machine.verify_us", MachineSpeed.verifyMicros(3, Duration.ofMillis(500)));
        Path dir = Files.createTempDirectory("baton-bench-requests");
        try (SecurityRig rig = new SecurityRig(dir, "gw-a")) {
            URI a = rig.gateway("gw-a", new LocalAccounts(1024, 1));
            List<Agent> agents = new ArrayList<>();
            List<HttpGatewayEndpoint> endpoints = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Agent agent = new Agent(null, Map.of(), SecurityRig.STEADY);
                HttpGatewayEndpoint endpoint = SecurityRig.endpoint(a);
                agent.signIn(endpoint, "users", "alice", SecurityRig.PASSWORD);
                agent.access(endpoint);
                agents.add(agent);
                endpoints.add(endpoint);
            }
            run(agents, endpoints, phase.dividedBy(2), new LatencySamples()); // warm-up
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu = os.getProcessCpuTime();
            long begin = System.nanoTime();
            LatencySamples saturated = new LatencySamples();
            long count = run(agents, endpoints, phase, saturated);
            double seconds = (System.nanoTime() - begin) / 1e9;
            results.figure("requests.per_second", count / seconds);
            results.figure("requests.cpu_us_per_request", (os.getProcessCpuTime() - cpu) / 1_000.0 / count);
            LatencySamples single = new LatencySamples();
            run(agents.subList(0, 1), endpoints.subList(0, 1), phase.dividedBy(2), single);
            results.figure("requests.p50_ms", single.percentileMillis(50));
            results.figure("requests.p99_ms", single.percentileMillis(99));
            results.figure("requests.saturated_p99_ms", saturated.percentileMillis(99));
        }
        return true;
    }

    /** Each agent's thread sends access requests for {@code length}; returns how many were answered. */
    private static long run(List<Agent> agents, List<HttpGatewayEndpoint> endpoints, Duration length, LatencySamples into)
            throws InterruptedException {
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + length.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            Agent agent = agents.get(i);
            HttpGatewayEndpoint endpoint = endpoints.get(i);
            threads.add(Thread.ofPlatform().start(() -> {
                LatencySamples mine = new LatencySamples();
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    agent.access(endpoint);
                    mine.record(System.nanoTime() - t);
                    count.incrementAndGet();
                }
                synchronized (into) {
                    into.addAll(mine);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return count.get();
    }
}
