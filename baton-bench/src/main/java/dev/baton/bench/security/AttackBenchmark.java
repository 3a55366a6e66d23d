package dev.baton.bench.security;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentTls;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.bench.Benchmark;
import dev.baton.bench.LatencySamples;
import dev.baton.bench.Results;
import dev.baton.bench.RunMode;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.SessionId;
import dev.baton.gateway.LocalAccounts;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./baton bench attack}: the floods of issue 14 against gateways with their default admission control, in
 * one JVM on loopback (attackers, honest agents, gateways and the federation server share the two cores, so the
 * figures are an upper bound on what the attack costs the gateway).
 *
 * <ul>
 * <li>sign-in flood: rounds of 400 concurrent sign-ins of made-up users at the production Argon2id cost (64 MiB,
 * 3 passes), while a signed-in agent sends a request every 20 ms. {@code attack.signin_flood.heap_mb} is the highest
 * heap in use sampled every 20 ms during the flood (without the bound, 400 hashes at once would need 25 GB);
 * {@code honest_p99_ms} the agent's p99; {@code answered_percent} the flood requests answered at all.
 * <li>challenge flood: 32 attackers fetch challenges and send connects with made-up ids and signatures while honest
 * agents migrate between two gateways; {@code honest_success_percent} of those migrations succeed.
 * </ul>
 */
public final class AttackBenchmark implements Benchmark {
    @Override
    public boolean run(RunMode mode, Results results) throws Exception {
        boolean quick = mode == RunMode.QUICK;
        Path dir = Files.createTempDirectory("baton-bench-attack");
        try (SecurityRig rig = new SecurityRig(dir, "gw-a", "gw-b")) {
            URI a = rig.gateway("gw-a", new LocalAccounts());
            URI b = rig.gateway("gw-b", new LocalAccounts(1024, 1));
            signInFlood(a, quick ? 1 : 3, results);
            challengeFlood(a, b, quick ? Duration.ofSeconds(10) : Duration.ofSeconds(40), results);
        }
        return true;
    }

    private static HttpClient attackerClient() {
        return HttpClient.newBuilder().sslContext(AgentTls.trustAll()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20)).build();
    }

    private static int post(HttpClient http, URI gateway, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1; // not answered
        }
    }

    private static void signInFlood(URI gateway, int rounds, Results results) throws Exception {
        Agent alice = new Agent(null, Map.of(), SecurityRig.STEADY);
        HttpGatewayEndpoint honest = SecurityRig.endpoint(gateway);
        alice.signIn(honest, "users", "alice", SecurityRig.PASSWORD);
        String key = ProofOfPossession.encode(ProofOfPossession.newKeyPair().getPublic());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peakHeap = new AtomicLong();
        AtomicBoolean flooding = new AtomicBoolean(true);
        HonestAgent agent = new HonestAgent(alice, honest, flooding);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (flooding.get()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                sleep(20);
            }
        });
        Thread agentThread = Thread.ofPlatform().daemon().start(agent);
        long begin = System.nanoTime();
        int[] counts = floodSignIns(gateway, rounds, key); // sent, answered, overloaded
        long seconds = Math.max(1, (System.nanoTime() - begin) / 1_000_000_000);
        flooding.set(false);
        sampler.join();
        agentThread.join();
        results.figure("attack.signin_flood.heap_mb", peakHeap.get() / 1_048_576.0);
        results.figure("attack.signin_flood.heap_before_mb", heapBefore / 1_048_576.0);
        results.figure("attack.signin_flood.honest_p99_ms", agent.latency.percentileMillis(99));
        results.figure("attack.signin_flood.honest_requests", agent.latency.count());
        results.figure("attack.signin_flood.honest_failures", agent.failures.get());
        results.figure("attack.signin_flood.answered_percent", 100.0 * counts[1] / counts[0]);
        results.figure("attack.signin_flood.overloaded_percent", 100.0 * counts[2] / counts[0]);
        results.note("sign-in flood: " + counts[0] + " sign-ins in " + seconds + " s (" + rounds + " rounds of 400 at once)");
    }

    /** An honest agent's session requests every 20 ms while a flood runs, with their latencies and failures. */
    private static final class HonestAgent implements Runnable {
        final LatencySamples latency = new LatencySamples();
        final AtomicInteger failures = new AtomicInteger();
        private final Agent agent;
        private final HttpGatewayEndpoint gateway;
        private final AtomicBoolean flooding;

        HonestAgent(Agent agent, HttpGatewayEndpoint gateway, AtomicBoolean flooding) {
            this.agent = agent;
            this.gateway = gateway;
            this.flooding = flooding;
        }

        @Override
        public void run() {
            while (flooding.get()) {
                long t = System.nanoTime();
                try {
                    agent.access(gateway);
                    synchronized (latency) {
                        latency.record(System.nanoTime() - t);
                    }
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                }
                sleep(20);
            }
        }
    }

    /** {@code rounds} rounds of 400 sign-ins at once with wrong passwords; returns {sent, answered, overloaded}. */
    private static int[] floodSignIns(URI gateway, int rounds, String key) throws Exception {
        int[] counts = new int[3];
        HttpClient http = attackerClient();
        for (int round = 0; round < rounds; round++) {
            List<Future<Integer>> flood = new ArrayList<>();
            try (ExecutorService attackers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 400; i++) {
                    String body = "{\"realm\":\"users\",\"username\":\"nobody" + round + "-" + i
                            + "\",\"password\":\"guess\",\"agentKey\":\"" + key + "\"}";
                    flood.add(attackers.submit(() -> post(http, gateway, "/api/v1/sign-in", body)));
                }
                for (Future<Integer> f : flood) {
                    int status = f.get();
                    counts[0]++;
                    counts[1] += status > 0 ? 1 : 0;
                    counts[2] += status == 503 ? 1 : 0;
                }
            }
        }
        return counts;
    }

    private static void challengeFlood(URI a, URI b, Duration length, Results results) throws Exception {
        HttpClient http = attackerClient();
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong attacks = new AtomicLong();
        List<Thread> attackers = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            attackers.add(Thread.ofVirtual().start(() -> {
                while (flooding.get()) {
                    post(http, b, "/api/v1/challenge", "");
                    String c = ProofOfPossession.agentChallenge("gw-b", SecurityRig.STEADY.instant());
                    post(http, b, "/api/v1/connect", "{\"sessionId\":\"" + SessionId.generate().reveal() + "\",\"challenge\":\""
                            + c + "\",\"signature\":\"AAAA\"}");
                    attacks.addAndGet(2);
                }
            }));
        }
        HttpGatewayEndpoint atA = SecurityRig.endpoint(a);
        HttpGatewayEndpoint atB = SecurityRig.endpoint(b);
        int tried = 0;
        int succeeded = 0;
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            tried++;
            try {
                Agent agent = new Agent(null, Map.of(), SecurityRig.STEADY);
                agent.signIn(atA, "users", "alice", SecurityRig.PASSWORD);
                if (agent.connect(atB).outcome().equals("migrated") && agent.connect(atA).outcome().equals("migrated")) {
                    succeeded++;
                }
            } catch (RuntimeException e) {
                // counted as a failure
            }
        }
        flooding.set(false);
        for (Thread t : attackers) {
            t.join();
        }
        results.figure("attack.challenge_flood.honest_success_percent", 100.0 * succeeded / Math.max(1, tried));
        results.figure("attack.challenge_flood.honest_round_trips", tried);
        results.figure("attack.challenge_flood.attack_requests_per_second", attacks.get() / (double) Math.max(1, length.toSeconds()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
