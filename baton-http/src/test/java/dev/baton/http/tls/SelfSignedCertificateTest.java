package dev.baton.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated keystores: a random password kept in an owner-only file beside an owner-only keystore, reused on
 * later starts; files open to others are refused; keystores of earlier versions (constant password) upgraded.
 */
class SelfSignedCertificateTest {
    @TempDir
    Path dir;

    @Test
    void theFirstStartWritesAnOwnerOnlyKeystoreWithARandomPasswordKeptOwnerOnlyBesideIt() throws Exception {
        Path file = dir.resolve("federation-tls.p12");
        SelfSignedCertificate.Identity made = SelfSignedCertificate.loadOrCreate(file, "127.0.0.1");

        Path passwordFile = dir.resolve("federation-tls.p12.password");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(passwordFile)).isEqualTo("rw-------");
        String password = Files.readString(passwordFile, StandardCharsets.US_ASCII);
        assertThat(password).matches("[A-Za-z0-9_-]{43}"); // 32 random bytes, base64url
        assertThat(new String(made.password())).isEqualTo(password);
        assertThat(open(file, password)).isNotNull();
        assertThat(made.toString()).doesNotContain(password);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file is left behind")
                    .containsExactlyInAnyOrder("federation-tls.p12", "federation-tls.p12.password");
        }

        Path other = dir.resolve("gw-tls.p12");
        SelfSignedCertificate.loadOrCreate(other, "127.0.0.1");
        assertThat(Files.readString(dir.resolve("gw-tls.p12.password"))).as("each keystore its own password")
                .isNotEqualTo(password);
    }

    @Test
    void aLaterStartReadsThePasswordFileAndKeepsTheCertificate() {
        Path file = dir.resolve("gw-tls.p12");
        SelfSignedCertificate.Identity first = SelfSignedCertificate.loadOrCreate(file, "127.0.0.1");
        SelfSignedCertificate.Identity again = SelfSignedCertificate.loadOrCreate(file, "127.0.0.1");
        assertThat(new String(again.password())).isEqualTo(new String(first.password()));
        assertThat(certificate(again.keyStore())).isEqualTo(certificate(first.keyStore()));
    }

    @Test
    void aKeystoreOpenToOthersIsRefusedNamingTheFile() throws Exception {
        Path file = dir.resolve("federation-tls.p12");
        SelfSignedCertificate.loadOrCreate(file, "127.0.0.1");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SelfSignedCertificate.loadOrCreate(file, "127.0.0.1"))
                .isInstanceOfSatisfying(BatonException.class, e -> {
                    assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION);
                    assertThat(e.getMessage()).contains(file.toString()).contains("rw-r--r--").contains("chmod 600");
                });
        assertThat(mode(file)).as("refused, not silently changed").isEqualTo("rw-r--r--");
    }

    @Test
    void aPasswordFileReadableByTheGroupIsRefused() throws Exception {
        Path file = dir.resolve("federation-tls.p12");
        SelfSignedCertificate.loadOrCreate(file, "127.0.0.1");
        Path passwordFile = SelfSignedCertificate.passwordFile(file);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> SelfSignedCertificate.loadOrCreate(file, "127.0.0.1"))
                .isInstanceOfSatisfying(BatonException.class, e ->
                        assertThat(e.getMessage()).startsWith(passwordFile + " is open to group or others"));
    }

    @Test
    void aKeystoreWithACallersPasswordIsOwnerOnlyToo() throws Exception {
        Path file = dir.resolve("bench.p12");
        KeyStore ks = SelfSignedCertificate.loadOrCreate(file, "bench".toCharArray(), "127.0.0.1");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(SelfSignedCertificate.passwordFile(file)).doesNotExist();
        assertThat(certificate(SelfSignedCertificate.loadOrCreate(file, "bench".toCharArray(), "127.0.0.1")))
                .isEqualTo(certificate(ks));
    }

    @Test
    void anEarlierVersionsKeystoreKeepsItsKeyAndGetsARandomPassword() throws Exception {
        Path file = dir.resolve("federation-tls.p12");
        KeyStore earlier = SelfSignedCertificate.loadOrCreate(file, "changeit".toCharArray(), "127.0.0.1");

        SelfSignedCertificate.Identity upgraded = SelfSignedCertificate.loadOrCreate(file, "127.0.0.1");
        assertThat(certificate(upgraded.keyStore())).isEqualTo(certificate(earlier));
        String password = Files.readString(SelfSignedCertificate.passwordFile(file));
        assertThat(password).isNotEqualTo("changeit").hasSize(43);
        assertThat(open(file, password).getKey(SelfSignedCertificate.ALIAS, password.toCharArray())).isNotNull();
        assertThatThrownBy(() -> open(file, "changeit")).as("the constant no longer opens it");
        assertThat(mode(SelfSignedCertificate.passwordFile(file))).isEqualTo("rw-------");
    }

    @Test
    void aKeystoreWhosePasswordFileIsLostIsRefusedWithTheWayOut() {
        Path file = dir.resolve("federation-tls.p12");
        SelfSignedCertificate.loadOrCreate(file, "127.0.0.1");
        SelfSignedCertificate.passwordFile(file).toFile().delete();
        assertThatThrownBy(() -> SelfSignedCertificate.loadOrCreate(file, "127.0.0.1"))
                .hasMessageContaining(SelfSignedCertificate.passwordFile(file) + " is missing")
                .hasMessageContaining("delete " + file);
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static KeyStore open(Path file, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    private static Certificate certificate(KeyStore ks) {
        try {
            return ks.getCertificate(SelfSignedCertificate.ALIAS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
