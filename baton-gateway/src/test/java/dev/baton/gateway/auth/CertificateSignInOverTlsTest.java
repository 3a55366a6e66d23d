package dev.baton.gateway.auth;

import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.Role;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.InMemoryFederation;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.http.GatewayServer;
import dev.baton.http.tls.SelfSignedCertificate;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A certificate realm behind the gateway's HTTPS API: the TLS client certificate is the credential and names the user. */
class CertificateSignInOverTlsTest {
    @TempDir
    Path dir;

    @Test
    void theClientCertificateNamesTheUserAndNoOrAForeignCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        TestCertificates.Issued ca = TestCertificates.ca("CN=Baton Test CA", now.minus(Duration.ofDays(1)), Duration.ofDays(30));
        TestCertificates.Issued otherCa = TestCertificates.ca("CN=Other CA", now.minus(Duration.ofDays(1)), Duration.ofDays(30));
        TestCertificates.Issued alice = TestCertificates.leaf(ca, "CN=alice", now.minus(Duration.ofDays(1)), Duration.ofDays(30),
                KeyPurposeId.id_kp_clientAuth);
        TestCertificates.Issued eve = TestCertificates.leaf(otherCa, "CN=eve", now.minus(Duration.ofDays(1)), Duration.ofDays(30),
                KeyPurposeId.id_kp_clientAuth);
        Realm realm = Realm.simple("certs", AuthServerKind.CERTIFICATE, "corp", "staff");
        CertificateAuthenticator server = new CertificateAuthenticator(
                new CertificateConfig(List.of(ca.certificate()), CertificateConfig.Identity.SUBJECT_CN), Clock.systemUTC());
        Gateway gateway = new Gateway(new GatewayConfig("gw-tls", GatewayKind.REMOTE_ACCESS, true, List.of(new RealmBinding(realm, server)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of())), new InMemoryFederation(Runnable::run), Clock.systemUTC());
        char[] pw = "pw".toCharArray();
        try (GatewayServer https = new GatewayServer(gateway, new InetSocketAddress("127.0.0.1", 0),
                SelfSignedCertificate.loadOrCreate(dir.resolve("tls.p12"), pw, "127.0.0.1"), pw)) {
            String body = "{\"realm\":\"certs\",\"username\":\"mallory\",\"password\":\"\",\"agentKey\":\""
                    + dev.baton.core.ProofOfPossession.encode(dev.baton.core.ProofOfPossession.newKeyPair().getPublic()) + "\"}";
            HttpResponse<String> withCert = post(https.port(), body, alice);
            assertThat(withCert.statusCode()).as(withCert.body()).isEqualTo(200);
            assertThat(withCert.body()).contains("\"user\":\"alice\"");

            HttpResponse<String> without = post(https.port(), body, null);
            assertThat(without.statusCode()).isEqualTo(401);
            assertThat(without.body()).contains("none was presented");

            assertThat(post(https.port(), body, eve).statusCode()).as("a certificate of another CA").isNotEqualTo(200);
        }
    }

    private static HttpResponse<String> post(int port, String body, TestCertificates.Issued client) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(TestCertificates.clientContext(client)).build();
        try {
            return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/v1/sign-in"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException handshakeRefused) {
            return new RefusedResponse();
        }
    }

    /** A connection the server refused during the TLS handshake. */
    private static final class RefusedResponse implements HttpResponse<String> {
        public int statusCode() { return 0; }
        public HttpRequest request() { return null; }
        public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        public java.net.http.HttpHeaders headers() { return java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true); }
        public String body() { return "refused"; }
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
        public URI uri() { return null; }
        public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    }
}
