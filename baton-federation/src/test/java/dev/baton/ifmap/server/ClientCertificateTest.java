package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;

import de.hshannover.f4.trust.ifmapj.IfmapJ;
import de.hshannover.f4.trust.ifmapj.channel.SSRC;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that presents a certificate from a trusted CA is the user named by the certificate's CN. */
@SuppressWarnings("deprecation") // ifmapj's key-manager form of createSsrc; the other needs keystore files
class ClientCertificateTest {
    @TempDir
    Path dir;

    @Test
    void clientCertificateCommonNameIsThePublisherAndBasicAuthStillWorks() throws Exception {
        KeyPair caKeys = keys();
        X509Certificate ca = certificate("CN=Test CA", caKeys, "CN=Test CA", caKeys.getPrivate(), true);
        KeyPair clientKeys = keys();
        X509Certificate client = certificate("CN=gw-cert", clientKeys, "CN=Test CA", caKeys.getPrivate(), false);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        try (IfmapServer server = TestServers.builder(dir).inMemoryOnly().clientCertificates(trust).build().start()) {
            KeyStore mine = KeyStore.getInstance("PKCS12");
            mine.load(null, null);
            mine.setKeyEntry("me", clientKeys.getPrivate(), "pw".toCharArray(), new X509Certificate[] {client, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(mine, "pw".toCharArray());

            SSRC byCert = IfmapJ.createSsrc(server.url(), kmf.getKeyManagers(),
                    TestServers.trusting(server.certificate()));
            byCert.newSession();
            assertThat(byCert.getPublisherId()).isEqualTo("gw-cert");

            SSRC byPassword = TestServers.ifmapj(server, "alice");
            byPassword.newSession();
            assertThat(byPassword.getPublisherId()).isEqualTo("alice");
        }
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, PrivateKey signer,
                                               boolean ca) throws Exception {
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return new JcaX509CertificateConverter().getCertificate(b.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }
}
