package dev.baton.sso;

import dev.baton.gateway.auth.TestCertificates;
import dev.baton.store.MemorySessionStore;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A certificate realm on the sign-in page: the browser's TLS client certificate names the user; none or a foreign one is refused. */
class SsoCertificateTest {
    @TempDir
    Path dir;

    @Test
    void theClientCertificateSignsTheBrowserInAndNoneOrAForeignOneIsRefused() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TestCertificates.Issued ca = TestCertificates.ca("CN=Baton Test CA", now.minus(Duration.ofDays(1)), Duration.ofDays(30));
        TestCertificates.Issued other = TestCertificates.ca("CN=Other CA", now.minus(Duration.ofDays(1)), Duration.ofDays(30));
        TestCertificates.Issued dave = TestCertificates.leaf(ca, "CN=dave", now.minus(Duration.ofDays(1)), Duration.ofDays(30),
                KeyPurposeId.id_kp_clientAuth);
        TestCertificates.Issued eve = TestCertificates.leaf(other, "CN=eve", now.minus(Duration.ofDays(1)), Duration.ofDays(30),
                KeyPurposeId.id_kp_clientAuth);
        Path caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, ca.pem());
        String yaml = SsoRig.YAML.replace("""
              - name: staff
            """, """
              - name: certs
                auth-server: { kind: certificate, certificate.caFile: "%s" }
                role-mapping:
                  - { when: [], roles: [staff] }
              - name: staff
            """.formatted(caFile)).replace("    staff: { persistent: true }\n", "    staff: { persistent: true }\n    certs: {}\n");
        try (SsoRig rig = new SsoRig(new MemorySessionStore(), dir, SsoRig.freePort(), "http://127.0.0.1:1/x", now, yaml)) {
            HttpResponse<String> signedIn = signIn(rig, dave);
            assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
            assertThat(TestBrowser.query(signedIn)).containsKey("code");

            HttpResponse<String> none = signIn(rig, null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.body()).contains("signs in with a TLS client certificate, and none was presented");

            HttpResponse<String> foreign = signIn(rig, eve);
            assertThat(foreign == null ? 0 : foreign.statusCode()).as("a certificate of another CA is refused in the handshake or by the realm")
                    .isIn(0, 401);
        }
    }

    /** Opens the sign-in page and presses the certificate realm's button, presenting {@code client}'s certificate. */
    private static HttpResponse<String> signIn(SsoRig rig, TestCertificates.Issued client) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(TestCertificates.clientContext(client)).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        SsoFlowTest.Ask ask = SsoFlowTest.Ask.of("app1", SsoFlowTest.APP1_CB);
        try {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(ask.url(rig.issuer(), ""))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).contains("Sign in with my certificate");
            return http.send(HttpRequest.newBuilder(URI.create(rig.issuer() + "/sign-in"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(TestBrowser.encode(Map.of("flow", TestBrowser.flow(page), "realm", "certs"))))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException handshakeRefused) {
            return null;
        }
    }
}
