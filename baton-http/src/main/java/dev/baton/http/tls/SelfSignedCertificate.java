package dev.baton.http.tls;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's TLS identity: a self-signed EC P-256 certificate for {@code localhost} and
 * {@code 127.0.0.1}, valid ten years, generated on first start and kept in a PKCS#12 file so that
 * clients that pinned it keep trusting it across restarts.
 *
 * <p><b>Password.</b> The first start makes a random password (32 bytes from {@link SecureRandom}, base64url)
 * and keeps it in {@code FILE.password} beside the keystore; later starts read it there. A password kept next
 * to its keystore protects nothing against someone who can read both: the files' permissions do that. What it
 * buys over a constant such as {@code changeit} is that a keystore copied away from its password file (a
 * backup, a support bundle, a volume snapshot with looser permissions) no longer opens with a password
 * printed in every manual. An operator who wants the password elsewhere configures a keystore instead.
 *
 * <p><b>Permissions.</b> Both files are written atomically with mode 0600 from creation
 * ({@link OwnerOnlyFiles#writeAtomically}). A keystore or password file that group or others may read or
 * write is <em>refused</em> with an error naming it, not silently fixed: by then the private key may have
 * been read, and only the operator can tell whether to keep it ({@code chmod 600}) or to delete the files
 * and have a new certificate generated (clients that pinned the old one must then pin the new one). A
 * warning that changed the mode would hide the exposure in a log nobody reads.
 *
 * <p><b>Earlier keystores.</b> Baton generated these keystores before with a constant password and no
 * password file. Such a keystore (once owner-only) is opened with that constant and written again under a
 * new random password, keeping its key and certificate, with a warning.
 */
public final class SelfSignedCertificate {
    /** The alias of the key entry in the generated keystore. */
    public static final String ALIAS = "baton-federation";
    /** Appended to a keystore's file name to name the file holding its generated password. */
    public static final String PASSWORD_SUFFIX = ".password";

    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificate.class);
    /** The constants earlier versions used: the federation server's, then the gateways'. */
    private static final List<String> EARLIER_PASSWORDS = List.of("changeit", "baton-generated");
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A keystore and the password of the store and its key. {@link #toString()} does not show the password.
     *
     * @param keyStore the PKCS#12 keystore
     * @param password its password
     */
    public record Identity(KeyStore keyStore, char[] password) {
        /** Checks and copies. */
        public Identity {
            Objects.requireNonNull(keyStore, "keyStore");
            password = Objects.requireNonNull(password, "password").clone();
        }

        /** A copy of the password. */
        @Override
        public char[] password() {
            return password.clone();
        }

        @Override
        public String toString() {
            return "Identity[keyStore=" + keyStore.getType() + ", password=****]";
        }
    }

    private SelfSignedCertificate() {
    }

    /** The file that holds the generated password of the keystore {@code keyStoreFile}. */
    public static Path passwordFile(Path keyStoreFile) {
        return keyStoreFile.resolveSibling(keyStoreFile.getFileName() + PASSWORD_SUFFIX);
    }

    /**
     * Loads the keystore at {@code file} with the password kept in {@link #passwordFile}, generating both
     * first if the keystore does not exist (see the class comment for permissions and earlier keystores).
     *
     * @param hostName the listen host, named in the certificate's CN and, if it is not loopback, in its SANs
     * @throws BatonException {@link ResultCode#CONFIGURATION} naming the file that is open to others, missing
     *                        or unreadable
     */
    public static Identity loadOrCreate(Path file, String hostName) {
        Path passwordFile = passwordFile(file);
        try {
            if (!Files.exists(file)) {
                char[] password = randomPassword();
                // The password first: a crash between the two leaves no keystore, and the next start begins again.
                OwnerOnlyFiles.writeAtomically(passwordFile, new String(password).getBytes(StandardCharsets.US_ASCII));
                KeyStore ks = generate(password, hostName);
                store(file, ks, password);
                LOG.info("generated a self-signed TLS certificate for {} in {}; its password is in {} (both owner-only)",
                        hostName, file, passwordFile);
                return new Identity(ks, password);
            }
            requireOwnerOnly(file, file);
            if (Files.exists(passwordFile)) {
                requireOwnerOnly(passwordFile, file);
                char[] kept = Files.readString(passwordFile, StandardCharsets.US_ASCII).strip().toCharArray();
                Optional<KeyStore> ks = tryLoad(file, kept);
                if (ks.isPresent()) {
                    return new Identity(ks.get(), kept);
                }
            }
            for (String earlier : EARLIER_PASSWORDS) {
                Optional<KeyStore> ks = tryLoad(file, earlier.toCharArray());
                if (ks.isPresent()) {
                    return upgrade(file, ks.get(), earlier.toCharArray());
                }
            }
            throw new BatonException(ResultCode.CONFIGURATION, "cannot open the generated keystore " + file
                    + (Files.exists(passwordFile) ? " with the password in " + passwordFile : ": " + passwordFile
                    + " is missing") + "; delete " + file + " to generate a new certificate (clients that pinned"
                    + " the old one must pin the new one)");
        } catch (IOException | UncheckedIOException | GeneralSecurityException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "cannot create or read the keystore " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Loads the keystore at {@code file}, generating and saving it first if it does not exist, with a password
     * the caller chose and keeps itself (tests and benchmarks); no password file is written. The keystore is
     * written and checked like {@link #loadOrCreate(Path, String)}'s.
     */
    public static KeyStore loadOrCreate(Path file, char[] password, String hostName) {
        try {
            if (Files.exists(file)) {
                requireOwnerOnly(file, file);
                return tryLoad(file, password).orElseThrow(() -> new BatonException(ResultCode.CONFIGURATION,
                        "the keystore " + file + " does not open with the password given"));
            }
            KeyStore ks = generate(password, hostName);
            store(file, ks, password);
            return ks;
        } catch (IOException | UncheckedIOException | GeneralSecurityException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "cannot create or read the keystore " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** An earlier version's keystore, written again under a new random password kept beside it. */
    private static Identity upgrade(Path file, KeyStore old, char[] oldPassword) throws GeneralSecurityException,
            IOException {
        char[] password = randomPassword();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, password);
        ks.setKeyEntry(ALIAS, old.getKey(ALIAS, oldPassword), password, old.getCertificateChain(ALIAS));
        // Password file first: after a crash between the two, the keystore still opens with the old constant.
        OwnerOnlyFiles.writeAtomically(passwordFile(file), new String(password).getBytes(StandardCharsets.US_ASCII));
        store(file, ks, password);
        LOG.warn("keystore {} was protected by a constant password; it now has a random one, kept in {}",
                file, passwordFile(file));
        return new Identity(ks, password);
    }

    private static void requireOwnerOnly(Path file, Path keyStoreFile) {
        OwnerOnlyFiles.openToOthers(file).ifPresent(mode -> {
            throw new BatonException(ResultCode.CONFIGURATION, file + " is open to group or others (" + mode
                    + "); it must be readable by its owner only. If nobody else may have read it, chmod 600 " + file
                    + "; otherwise delete " + keyStoreFile + " and " + passwordFile(keyStoreFile) + " to generate a"
                    + " new certificate (clients that pinned the old one must pin the new one)");
        });
    }

    /** The keystore opened with {@code password}; empty if that is not its password. */
    private static Optional<KeyStore> tryLoad(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
            return Optional.of(ks);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                return Optional.empty(); // how PKCS#12 says "wrong password"
            }
            throw e;
        }
    }

    private static KeyStore generate(char[] password, String hostName) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, password);
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        KeyPair pair = gen.generateKeyPair();
        try {
            ks.setKeyEntry(ALIAS, pair.getPrivate(), password, new X509Certificate[] {certificate(pair, hostName)});
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the certificate: " + e.getMessage(), e);
        }
        return ks;
    }

    private static void store(Path file, KeyStore ks, char[] password) throws IOException, GeneralSecurityException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ks.store(bytes, password);
        OwnerOnlyFiles.writeAtomically(file, bytes.toByteArray());
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    private static X509Certificate certificate(KeyPair pair, String hostName) throws IOException,
            GeneralSecurityException, OperatorCreationException {
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
