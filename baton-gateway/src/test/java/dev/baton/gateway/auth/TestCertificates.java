package dev.baton.gateway.auth;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throwaway CAs and certificates (EC P-256), made with BouncyCastle, for certificate-realm tests. Names are
 * written in encoding order, most significant first ({@code O=Baton,CN=alice}); the JDK prints them the
 * other way round (RFC 2253: {@code CN=alice,O=Baton}). Public, and in baton-gateway's test-jar, for baton-it.
 */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    /** A key pair and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
        /** The certificate in PEM. */
        public String pem() throws GeneralSecurityException {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        }
    }

    private TestCertificates() {
    }

    public static Issued ca(String name, Instant from, Duration life) throws Exception {
        KeyPair keys = keys();
        X509v3CertificateBuilder b = builder(new X500Name(name), new X500Name(name), keys, from, life);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(keys, sign(b, keys));
    }

    /**
     * A leaf certificate.
     *
     * @param usage extended key usage, or {@code null} for none
     * @param san   extra subject alternative names, may be empty
     */
    public static Issued leaf(Issued ca, String subject, Instant from, Duration life, KeyPurposeId usage, GeneralName... san) throws Exception {
        return leaf(keys(), ca, subject, from, life, usage, san);
    }

    /**
     * A leaf certificate with an RSA 2048 key, for servers such as slapd whose TLS library (GnuTLS) does
     * not read the JDK's PKCS#8 encoding of EC keys.
     */
    public static Issued rsaLeaf(Issued ca, String subject, Instant from, Duration life, KeyPurposeId usage, GeneralName... san) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return leaf(g.generateKeyPair(), ca, subject, from, life, usage, san);
    }

    private static Issued leaf(KeyPair keys, Issued ca, String subject, Instant from, Duration life, KeyPurposeId usage, GeneralName... san) throws Exception {
        X509v3CertificateBuilder b = builder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), new X500Name(subject), keys, from, life);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        if (usage != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
        }
        if (san.length > 0) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
        }
        return new Issued(keys, sign(b, ca.keys()));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Instant from, Duration life) {
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from),
                Date.from(from.plus(life)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuerKeys) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    /**
     * A TLS client context that presents {@code client}'s certificate (none when null) and trusts any server: the
     * servers under test use certificates they generated themselves on loopback.
     */
    public static javax.net.ssl.SSLContext clientContext(Issued client) throws Exception {
        javax.net.ssl.KeyManagerFactory kmf = null;
        if (client != null) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", client.keys().getPrivate(), "k".toCharArray(), new java.security.cert.Certificate[] {client.certificate()});
            kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "k".toCharArray());
        }
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ssl;
    }
}
