package dev.baton.gateway.auth;

import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.gateway.Authenticator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthServersTest {
    static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-06-01T00:00:00Z"));

    private static Authenticator create(AuthServerKind kind, Map<String, ?> keys, InstantSource clock) {
        return AuthServers.create(kind, dev.baton.core.config.ConfigNode.root(keys), clock);
    }

    private static void rejects(AuthServerKind kind, Map<String, String> keys, String key) {
        assertThatThrownBy(() -> create(kind, keys, CLOCK)).isInstanceOfSatisfying(BatonException.class, e -> {
            assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION);
            assertThat(e.getMessage()).startsWith(key + ":");
        });
    }

    @Test
    void ldapKeysBecomeTheConfiguration() {
        try (var ldap = (LdapAuthenticator) create(AuthServerKind.LDAP, Map.of("ldap.servers", "dir1:389, dir2",
                "ldap.baseDn", "dc=example,dc=com", "ldap.attributes", "title,mail", "ldap.responseTimeout", "750ms"), CLOCK)) {
            assertThat(ldap.config().servers()).containsExactly("dir1:389", "dir2");
            assertThat(ldap.config().attributes()).containsExactly("title", "mail");
            assertThat(ldap.config().responseTimeout()).isEqualTo(Duration.ofMillis(750));
            assertThat(ldap.config().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        }
    }

    @Test
    void activeDirectoryLooksAttributesUpOnlyWhenTold() {
        Map<String, String> base = Map.of("ldap.servers", "dc1", "ldap.domain", "corp.example", "ldap.baseDn", "dc=corp,dc=example");
        try (var off = (LdapAuthenticator) create(AuthServerKind.ACTIVE_DIRECTORY, base, CLOCK)) {
            assertThat(off.config().returnsAttributes()).isFalse();
            assertThat(off.find("anyone")).get().satisfies(e -> assertThat(e.attributes()).isEmpty());
        }
        var on = new java.util.HashMap<>(base);
        on.put("ldap.attributeLookup", "yes");
        try (var ad = (LdapAuthenticator) create(AuthServerKind.ACTIVE_DIRECTORY, on, CLOCK)) {
            assertThat(ad.config().returnsAttributes()).isTrue();
            assertThat(ad.config().mode()).isEqualTo(LdapConfig.Mode.ACTIVE_DIRECTORY);
        }
    }

    @Test
    void everyOtherKindIsBuiltFromItsKeys(@TempDir Path dir) throws Exception {
        Path passwd = Files.write(dir.resolve("passwd"), List.of(NisAuthenticatorTest.ALICE));
        Authenticator nis = create(AuthServerKind.NIS, Map.of("nis.passwdMap", passwd.toString()), CLOCK);
        assertThat(nis.authenticate("alice", "wonderland".toCharArray())).isPresent();

        var ca = TestCertificates.ca("CN=Keys CA", Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(365));
        Path caFile = Files.writeString(dir.resolve("ca.pem"), ca.pem());
        assertThat(create(AuthServerKind.CERTIFICATE, Map.of("certificate.caFile", caFile.toString(), "certificate.identity", "san-email"), CLOCK))
                .isInstanceOf(CertificateAuthenticator.class);

        try (var radius = (RadiusAuthenticator) create(AuthServerKind.ACE,
                Map.of("radius.servers", "ace1:1812", "radius.secret", "s", "radius.timeout", "PT2S", "radius.retries", "1"), CLOCK)) {
            assertThat(radius.find("tokenuser")).isPresent();
        }
        assertThat(create(AuthServerKind.ANONYMOUS, Map.of("anonymous.userName", "guest"), CLOCK).authenticate(null, null))
                .get().extracting(e -> e.name()).isEqualTo("guest");
        assertThat(create(AuthServerKind.SAML, Map.of(), CLOCK)).isInstanceOf(UnsupportedSsoAuthenticator.class);
    }

    @Test
    void badOrUnknownKeysAreNamed() {
        rejects(AuthServerKind.LDAP, Map.of("ldap.server", "dir1"), "ldap.server");
        rejects(AuthServerKind.LDAP, Map.of("ldap.servers", "dir1", "ldap.baseDn", "dc=x", "ldap.maxConnections", "ten"), "ldap.maxConnections");
        rejects(AuthServerKind.LDAP, Map.of("ldap.servers", "dir1", "ldap.baseDn", "dc=x", "ldap.connectTimeout", "soon"), "ldap.connectTimeout");
        rejects(AuthServerKind.LDAP, Map.of("ldap.servers", "dir1", "ldap.baseDn", "dc=x", "ldap.domain", "corp"), "ldap.domain");
        rejects(AuthServerKind.ACTIVE_DIRECTORY, Map.of("ldap.servers", "dc1", "ldap.domain", "corp", "ldap.attributeLookup", "maybe"), "ldap.attributeLookup");
        rejects(AuthServerKind.RADIUS, Map.of("radius.servers", "r1"), "radius.secret");
        rejects(AuthServerKind.NIS, Map.of(), "nis.passwdMap");
        rejects(AuthServerKind.SITEMINDER, Map.of("ldap.servers", "x"), "ldap.servers");
        rejects(AuthServerKind.LOCAL, Map.of(), "kind");
    }
}
