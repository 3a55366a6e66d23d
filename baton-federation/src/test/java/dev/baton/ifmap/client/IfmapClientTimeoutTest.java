package dev.baton.ifmap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.http.tls.SelfSignedCertificate;
import dev.baton.ifmap.server.TestServers;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A federation server that takes the request and never answers: the client gives up after its request timeout
 * with an error that says so. The client reads without a socket timeout; the limit is kept by Deadlines.
 */
class IfmapClientTimeoutTest {
    @TempDir
    Path dir;

    @Test
    void aServerThatNeverAnswersFailsTheRequestAtItsTimeout() throws Exception {
        char[] pw = "silent".toCharArray();
        KeyStore keys = SelfSignedCertificate.loadOrCreate(dir.resolve("silent.p12"), pw, "127.0.0.1");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, pw);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        X509Certificate cert = (X509Certificate) keys.getCertificate(SelfSignedCertificate.ALIAS);
        CopyOnWriteArrayList<SSLSocket> accepted = new CopyOnWriteArrayList<>();
        try (SSLServerSocket server = (SSLServerSocket) serverTls.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        SSLSocket s = (SSLSocket) server.accept();
                        accepted.add(s);
                        Thread.ofVirtual().start(() -> swallow(s)); // reads the request, never answers
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            try (IfmapClient client = new IfmapClient(URI.create("https://127.0.0.1:" + server.getLocalPort() + "/"),
                    "alice", "alice-pw", TestServers.sslContext(cert), Duration.ofMillis(300), Duration.ofMillis(300))) {
                long start = System.nanoTime();
                assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                        assertThatThrownBy(() -> client.newSession(0)).isInstanceOfSatisfying(BatonException.class, e -> {
                            assertThat(e.code()).isEqualTo(ResultCode.UNAVAILABLE);
                            assertThat(e.getMessage()).contains("did not answer within 300 ms");
                        }));
                assertThat((System.nanoTime() - start) / 1_000_000).isBetween(300L, 5_000L);
                assertThat(accepted).isNotEmpty(); // the request did reach the silent server
            }
        } finally {
            for (SSLSocket s : accepted) {
                s.close();
            }
        }
    }

    private static void swallow(SSLSocket s) {
        try (InputStream in = s.getInputStream()) {
            byte[] buffer = new byte[8192];
            while (in.read(buffer) >= 0) {
                // keep reading so the client's write never blocks
            }
        } catch (java.io.IOException e) {
            // closed by the client's abort or by the test
        }
    }
}
