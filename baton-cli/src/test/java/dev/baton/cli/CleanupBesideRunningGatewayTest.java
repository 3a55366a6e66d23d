package dev.baton.cli;

import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression: {@code baton sessions cleanup} beside a running gateway on the default H2 store waited out the pool's
 * 2 s timeout and said only "Connection is not available"; H2's "file is locked" was in its trace file. Now it refuses
 * at once, saying the gateway holds the file and how to run the cleanup instead. The gateway is a process of its own,
 * as an operator runs it: within one JVM, H2 would share the open database.
 */
class CleanupBesideRunningGatewayTest {
    @TempDir
    Path dir;

    @Test
    void cleanupBesideARunningH2GatewayIsRefusedAtOnceNamingTheGatewayAndTheAdminApi() throws Exception {
        try (AttackRig rig = new AttackRig(dir)) {
            Path config = dir.resolve("gw-a.yaml");
            Files.writeString(config, """
                    name: gw-a
                    listen: 127.0.0.1:0
                    federation: { url: "%s", password: %s, trust-all: true }
                    roles: { staff: {} }
                    realms:
                      - { name: guests, auth-server: { kind: anonymous }, role-mapping: [ { when: [], roles: [staff] } ] }
                    """.formatted(rig.federation.url(), AttackRig.FEDERATION_USERS.get("gw-a")));
            Path data = dir.resolve("data");
            Path log = dir.resolve("gateway.log");
            Process gateway = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), BatonCommand.class.getName(), "gateway", "--config", config.toString(),
                    "--data-dir", data.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                awaitListening(gateway, log);
                // The start-up says what it waits for, longer than a request would (issue 19).
                assertThat(Files.readString(log)).contains("gateway gw-a starting: opening its session store (h2; waiting up to 60 s");
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                long start = System.nanoTime();
                int status = BatonCommand.execute(new PrintWriter(out), new PrintWriter(err), "sessions", "cleanup", "--config",
                        config.toString(), "--data-dir", data.toString());
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(status).as(err.toString()).isEqualTo(ResultCode.UNAVAILABLE.exitStatus());
                assertThat(err.toString()).contains("gateway gw-a's H2 session database").contains("is held by another process")
                        .contains("most likely the running gateway").contains("POST /api/admin/v1/cleanup/run")
                        .contains("or stop the gateway").doesNotContain("Connection is not available");
                // Refused on H2's answer, not after a pool's wait (2 s before, a minute for a start-up now).
                assertThat(took).isLessThan(Duration.ofSeconds(20));
            } finally {
                gateway.destroy();
                gateway.waitFor(30, TimeUnit.SECONDS);
            }
            // With the gateway stopped the same command runs.
            StringWriter err = new StringWriter();
            assertThat(BatonCommand.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "sessions", "cleanup",
                    "--config", config.toString(), "--data-dir", data.toString())).as(err.toString()).isZero();
        }
    }

    private static void awaitListening(Process gateway, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.readString(log).contains("listening on")) {
            assertThat(gateway.isAlive()).as("the gateway stopped:\n" + Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("the gateway did not start:\n" + Files.readString(log)).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
