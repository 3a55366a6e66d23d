package dev.baton.ifmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.ifmap.server.TestServers;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A federation server restart: forever metadata survives in the embedded H2 database, the certificate is
 * reused, and gateways reconnect, re-subscribe and still learn about lost sessions.
 */
class RestartTest {
    @TempDir
    Path dir;

    private IfmapServer startOn(int port) {
        return TestServers.builder(dir).listen("127.0.0.1", port).build().start();
    }

    @Test
    void foreverSessionDataSurvivesRestartAndGatewaysReconnectAndResubscribe() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        IfmapServer first = startOn(port);
        ConcurrentLinkedQueue<SessionIdHash> lost = new ConcurrentLinkedQueue<>();
        SessionIdHash hash = FederationClientTest.randomHash();
        FederationClient gwA = FederationClientTest.client(first, "gw-a");
        FederationClient gwB = null;
        try {
            gwA.onOwnershipLost((lostHash, newOwner) -> lost.add(lostHash));
            gwA.publishSession(FederationClientTest.session(hash, "gw-a"), Set.of("hc"));
            var certificate = first.certificate();
            first.stop();

            IfmapServer second = startOn(port);
            try {
                assertThat(second.certificate()).isEqualTo(certificate);
                await().atMost(Duration.ofSeconds(60)).until(() -> gwA.reconnects() >= 1);
                gwB = FederationClientTest.client(second, "gw-b");
                FederatedSession seen = gwB.lookup(hash).orElseThrow();
                assertThat(seen.owner()).isEqualTo("gw-a");
                assertThat(seen.capabilities()).containsExactly("hc");
                assertThat(seen.attributes()).containsKey("department");

                assertThat(gwB.claim(seen, seen.asSession().migratedTo("gw-b", "Users", Set.of("x"), false,
                        seen.startTime()), Set.of())).isTrue();
                await().atMost(Duration.ofSeconds(60)).until(() -> lost.contains(hash));
            } finally {
                if (gwB != null) {
                    gwB.close();
                }
                gwA.close();
                second.stop();
            }
        } finally {
            first.stop();
        }
    }
}
