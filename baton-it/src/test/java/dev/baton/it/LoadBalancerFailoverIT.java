package dev.baton.it;

import dev.baton.agent.Agent;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.api.AccessResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * F11: two gateways (not clustered) behind a real HAProxy; gateway-1 is killed with SIGKILL; the agent, still
 * talking to the balancer, lands on gateway-2 and its session migrates there without credentials.
 */
class LoadBalancerFailoverIT {
    @TempDir
    Path dir;

    @Test
    void whenTheAgentsGatewayIsKilledTheBalancerSendsItToAnotherAndTheSessionMigrates() throws Exception {
        try (Cluster cluster = new Cluster(dir).startFederation("gateway-1", "gateway-2")) {
            BatonProcess one = cluster.startGateway("gateway-1", "remote-access", "corp");
            cluster.startGateway("gateway-2", "remote-access", "corp");
            int front = BatonProcess.freePort();
            Path haproxy = dir.resolve("haproxy");
            haproxy("start", haproxy.toString(), String.valueOf(front), "127.0.0.1:" + cluster.gatewayPorts.get("gateway-1"),
                    "127.0.0.1:" + cluster.gatewayPorts.get("gateway-2"), String.valueOf(BatonProcess.freePort()));
            try {
                HttpGatewayEndpoint balancer = Cluster.endpoint(URI.create("https://127.0.0.1:" + front));
                Agent agent = new Agent(dir.resolve("agent.state"), Map.of());
                AccessResult signedIn = agent.signIn(balancer, "users", "alice", Cluster.PASSWORD);
                assertThat(signedIn.gateway()).isEqualTo("gateway-1");
                assertThat(agent.keepAlive(balancer, 3, Duration.ofMillis(200)).gateway()).isEqualTo("gateway-1");

                one.kill9();

                // The agent keeps its timer; within a few seconds the balancer marks gateway-1 down.
                AccessResult after = agent.keepAlive(balancer, 40, Duration.ofMillis(250));
                assertThat(after.gateway()).isEqualTo("gateway-2");
                assertThat(after.outcome()).isEqualTo("migrated");
                assertThat(after.startTime()).isEqualTo(signedIn.startTime());
                assertThat(agent.keepAlive(balancer, 3, Duration.ofMillis(200)).outcome()).isEqualTo("active");
            } finally {
                haproxy("stop", haproxy.toString());
            }
        }
    }

    private static void haproxy(String... args) throws IOException, InterruptedException {
        String root = System.getProperty("baton.root", "..");
        String[] command = new String[args.length + 1];
        command[0] = Path.of(root, "scripts", "haproxy.sh").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HAPROXY_CHECK_SSL", "1");
        pb.environment().put("HAPROXY_SECOND_BACKUP", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("scripts/haproxy.sh " + String.join(" ", args) + " failed:\n" + out);
        }
    }
}
