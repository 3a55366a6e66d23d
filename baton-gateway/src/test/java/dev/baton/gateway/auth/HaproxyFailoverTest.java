package dev.baton.gateway.auth;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code scripts/haproxy.sh} (which the gateway fail-over tests use) puts a real HAProxy in front of two
 * loopback HTTP servers; when one dies, traffic moves to the other within about three seconds.
 */
class HaproxyFailoverTest {
    private HttpServer one;
    private HttpServer two;
    private Path dir;
    private int front;
    private int stats;

    @BeforeEach
    void start() throws Exception {
        if (!ProjectScripts.installed("haproxy")) {
            ProjectScripts.unavailable("haproxy not found; install Debian's haproxy (scripts/prepare-test-env.sh does)");
        }
        one = backend("one");
        two = backend("two");
        dir = Files.createTempDirectory("baton-haproxy");
        front = SlapdServer.freePort();
        stats = SlapdServer.freePort();
        ProjectScripts.run("haproxy.sh", "start", dir.toString(), Integer.toString(front), address(one), address(two), Integer.toString(stats));
    }

    @AfterEach
    void stop() throws Exception {
        if (dir != null) {
            ProjectScripts.run("haproxy.sh", "stop", dir.toString());
            ProjectScripts.delete(dir);
        }
        one.stop(0);
        two.stop(0);
    }

    @Test
    void trafficMovesToTheLiveBackendWithinThreeSecondsOfTheOtherDying() {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(answersTo(10)).containsExactlyInAnyOrder("one", "two"));

        one.stop(0);

        // Both within 3 s of the kill: every request answered by the live one, and HAProxy's health check marking gw1 down.
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(answersTo(10)).containsExactly("two");
            assertThat(statsCsv()).containsPattern("baton_gateways,gw1,(?:[^,]*,){15}DOWN");
        });
    }

    /** Sends {@code n} one-shot HTTP/1.0 requests (no keep-alive, so each is balanced anew) and collects who answered. */
    private Set<String> answersTo(int n) {
        Set<String> names = new HashSet<>();
        IntStream.range(0, n).forEach(i -> names.add(body(get(front, "/"))));
        return names;
    }

    private String statsCsv() {
        return body(get(stats, "/stats;csv"));
    }

    private static String get(int port, String path) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        }
    }

    private static String body(String response) {
        int split = response.indexOf("\r\n\r\n");
        return split < 0 ? response : response.substring(split + 4);
    }

    private static HttpServer backend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        for (String path : List.of("/", "/health")) {
            server.createContext(path, exchange -> {
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
        }
        server.start();
        return server;
    }

    private static String address(HttpServer server) {
        return "127.0.0.1:" + server.getAddress().getPort();
    }
}
