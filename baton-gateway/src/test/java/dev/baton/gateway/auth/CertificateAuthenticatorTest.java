package dev.baton.gateway.auth;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.baton.gateway.auth.CertificateConfig.Identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateAuthenticatorTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static TestCertificates.Issued ca;
    static TestCertificates.Issued otherCa;
    static TestCertificates.Issued alice;

    final AtomicReference<Instant> now = new AtomicReference<>(T0.plus(Duration.ofDays(10)));
    final InstantSource clock = now::get;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.ca("O=Baton,CN=Baton Test CA", T0, Duration.ofDays(3650));
        otherCa = TestCertificates.ca("CN=Somebody Else's CA", T0, Duration.ofDays(3650));
        alice = TestCertificates.leaf(ca, "O=Baton,OU=eng,CN=alice", T0, Duration.ofDays(365), KeyPurposeId.id_kp_clientAuth,
                new GeneralName(GeneralName.rfc822Name, "alice@baton.test"));
    }

    private CertificateAuthenticator trusting(TestCertificates.Issued anchor, Identity identity) {
        return new CertificateAuthenticator(new CertificateConfig(List.of(anchor.certificate()), identity), clock);
    }

    @Test
    void aCertificateFromTheConfiguredCaSignsInAsItsCommonName() {
        assertThat(trusting(ca, Identity.SUBJECT_CN).authenticate(List.of(alice.certificate()))).get().satisfies(e -> {
            assertThat(e.name()).isEqualTo("alice");
            assertThat(e.attributes().get("issuerDn")).containsExactly("CN=Baton Test CA,O=Baton");
            assertThat(e.attributes().get("subjectDn")).containsExactly("CN=alice,OU=eng,O=Baton");
        });
    }

    @Test
    void theIdentityCanComeFromTheSubjectDnOrAnAlternativeName() {
        assertThat(trusting(ca, Identity.SUBJECT_DN).authenticate(List.of(alice.certificate()))).get()
                .extracting(e -> e.name()).isEqualTo("CN=alice,OU=eng,O=Baton");
        assertThat(trusting(ca, Identity.SAN_EMAIL).authenticate(List.of(alice.certificate()))).get()
                .extracting(e -> e.name()).isEqualTo("alice@baton.test");
        assertThat(trusting(ca, Identity.SAN_DNS).authenticate(List.of(alice.certificate()))).as("alice has no dNSName").isEmpty();
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        assertThat(trusting(otherCa, Identity.SUBJECT_CN).authenticate(List.of(alice.certificate()))).isEmpty();
    }

    @Test
    void aCertificateOutsideItsValidityAtTheClocksTimeIsRefused() {
        CertificateAuthenticator auth = trusting(ca, Identity.SUBJECT_CN);
        now.set(T0.plus(Duration.ofDays(366)));
        assertThat(auth.authenticate(List.of(alice.certificate()))).as("expired").isEmpty();
        now.set(T0.minus(Duration.ofDays(1)));
        assertThat(auth.authenticate(List.of(alice.certificate()))).as("not yet valid").isEmpty();
        now.set(T0.plus(Duration.ofDays(364)));
        assertThat(auth.authenticate(List.of(alice.certificate()))).isPresent();
    }

    @Test
    void aCertificateRestrictedToServerAuthenticationIsRefused() throws Exception {
        var server = TestCertificates.leaf(ca, "CN=www", T0, Duration.ofDays(30), KeyPurposeId.id_kp_serverAuth);
        var unrestricted = TestCertificates.leaf(ca, "CN=bob", T0, Duration.ofDays(30), null);
        CertificateAuthenticator auth = trusting(ca, Identity.SUBJECT_CN);
        assertThat(auth.authenticate(List.of(server.certificate()))).isEmpty();
        assertThat(auth.authenticate(List.of(unrestricted.certificate()))).get().extracting(e -> e.name()).isEqualTo("bob");
    }

    @Test
    void aPemCertificateForwardedByATlsTerminatorSignsInAndThePasswordIsIgnored() throws Exception {
        CertificateAuthenticator auth = trusting(ca, Identity.SUBJECT_CN);
        assertThat(auth.authenticate(alice.pem(), "whatever".toCharArray())).get().extracting(e -> e.name()).isEqualTo("alice");
        assertThat(auth.authenticate("alice", "password".toCharArray())).isEmpty();
        assertThat(auth.authenticate("", null)).isEmpty();
    }

    @Test
    void certificateSessionsNeverMigrateSoFindKnowsNobody() {
        assertThat(trusting(ca, Identity.SUBJECT_CN).find("alice")).isEmpty();
    }

    @Test
    void theChainOfARealTlsHandshakeWithAClientCertificateSignsIn() throws Exception {
        var serverCert = TestCertificates.leaf(ca, "CN=gateway", T0, Duration.ofDays(3650), KeyPurposeId.id_kp_serverAuth,
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        SSLContext serverTls = tls(serverCert);
        SSLContext clientTls = tls(alice);
        CertificateAuthenticator auth = new CertificateAuthenticator(new CertificateConfig(List.of(ca.certificate()), Identity.SUBJECT_CN),
                InstantSource.system());
        try (SSLServerSocket listener = (SSLServerSocket) serverTls.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            CompletableFuture<Optional<dev.baton.core.UserDirectory.Entry>> signedIn = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    X509Certificate[] peer = Arrays.stream(s.getSession().getPeerCertificates()).map(X509Certificate.class::cast)
                            .toArray(X509Certificate[]::new);
                    s.getOutputStream().write(1);
                    return auth.authenticate(List.of(peer));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) clientTls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                client.startHandshake();
                assertThat(client.getInputStream().read()).isEqualTo(1);
            }
            assertThat(signedIn.get(10, TimeUnit.SECONDS)).get().extracting(e -> e.name()).isEqualTo("alice");
        }
    }

    @Test
    void configurationErrorsNameTheKey(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> new CertificateConfig(List.of(), Identity.SUBJECT_CN)).hasMessageStartingWith("certificate.caFile:");
        assertThatThrownBy(() -> Identity.parse("upn")).hasMessageStartingWith("certificate.identity:");
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        assertThatThrownBy(() -> CertificateConfig.fromFile(notPem, Identity.SUBJECT_CN))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageStartingWith("certificate.caFile:");
        Path pem = Files.writeString(dir.resolve("good.pem"), ca.pem() + otherCa.pem());
        assertThat(CertificateConfig.fromFile(pem, Identity.parse("san-email")).trustedCas()).hasSize(2);
    }

    private static SSLContext tls(TestCertificates.Issued own) throws Exception {
        char[] pw = "changeit".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("own", own.keys().getPrivate(), pw, new X509Certificate[] {own.certificate(), ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, pw);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
