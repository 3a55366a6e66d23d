package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The embedded default's TLS identity: a self-signed EC P-256 certificate for {@code localhost} and
 * {@code 127.0.0.1}, valid ten years, generated on first start and kept in a PKCS#12 file so that
 * clients that pinned it keep trusting it across restarts.
 */
public final class SelfSignedCertificate {
    /** The alias of the key entry in the generated keystore. */
    public static final String ALIAS = "baton-federation";

    private SelfSignedCertificate() {
    }

    /** Loads the keystore at {@code file}, generating and saving it first if it does not exist. */
    public static KeyStore loadOrCreate(Path file, char[] password, String hostName) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, password);
                }
                return ks;
            }
            ks.load(null, password);
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = gen.generateKeyPair();
            ks.setKeyEntry(ALIAS, pair.getPrivate(), password, new X509Certificate[] {certificate(pair, hostName)});
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password);
            }
            return ks;
        } catch (Exception e) {
            throw new BatonException(ResultCode.CONFIGURATION, "cannot create or read the federation keystore "
                    + file + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate certificate(KeyPair pair, String hostName) throws Exception {
        X500Name name = new X500Name("CN=" + hostName + ",O=Baton federation server");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
                pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        java.util.List<GeneralName> names = new java.util.ArrayList<>(java.util.List.of(
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        if (hostName.matches("[0-9.]+|.*:.*")) {
            if (!hostName.equals("127.0.0.1") && !hostName.equals("0.0.0.0")) {
                names.add(new GeneralName(GeneralName.iPAddress, hostName));
            }
        } else if (!hostName.equals("localhost")) {
            names.add(new GeneralName(GeneralName.dNSName, hostName));
        }
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(names.toArray(GeneralName[]::new)));
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }
}
