package dev.baton.store.ldap;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code store.ldap.tls} settings: defaults, URLs, plain LDAP only when asked for, errors that name the key. */
class LdapTlsSettingsTest {
    @TempDir
    Path dir;

    private static Map<String, String> keys(String servers, String... more) {
        Map<String, String> keys = new HashMap<>(Map.of("store.ldap.servers", servers, "store.ldap.bindDn", "cn=baton,dc=x",
                "store.ldap.password", "pw", "store.ldap.baseDn", "ou=sessions,dc=x"));
        for (int i = 0; i < more.length; i += 2) {
            keys.put(more[i], more[i + 1]);
        }
        return keys;
    }

    private static void failsNaming(Map<String, String> keys, String key) {
        assertThatThrownBy(() -> LdapStoreSettings.fromProperties(keys))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageContaining(key);
    }

    @Test
    void startTlsTrustingTheJvmIsTheDefault() {
        LdapStoreSettings s = LdapStoreSettings.fromProperties(keys("ldap.example.org:389"));

        assertThat(s.tls()).isEqualTo(LdapTls.startTls());
        assertThat(LdapStoreSettings.of(s.servers(), "cn=x", "pw", "dc=x").tls().mode()).isEqualTo(LdapTls.Mode.STARTTLS);
    }

    @Test
    void ldapsUrlsImplyLdapsAndTheirDefaultPort() {
        LdapStoreSettings s = LdapStoreSettings.fromProperties(keys("ldaps://ldap1.example.org, ldaps://ldap2.example.org:1636/"));

        assertThat(s.tls().mode()).isEqualTo(LdapTls.Mode.LDAPS);
        assertThat(s.servers()).containsExactly(new LdapStoreSettings.Server("ldap1.example.org", 636),
                new LdapStoreSettings.Server("ldap2.example.org", 1636));
        assertThat(LdapStoreSettings.fromProperties(keys("ldap://ldap1.example.org")).servers())
                .containsExactly(new LdapStoreSettings.Server("ldap1.example.org", 389));
    }

    @Test
    void contradictionsBetweenUrlsAndModeAreRefused() {
        failsNaming(keys("ldaps://ldap.example.org", "store.ldap.tls", "starttls"), "store.ldap.tls");
        failsNaming(keys("ldap://ldap.example.org", "store.ldap.tls", "ldaps"), "store.ldap.tls");
        failsNaming(keys("ldaps://a.example.org, b.example.org:389"), "store.ldap.servers");
        failsNaming(keys("http://a.example.org"), "store.ldap.servers");
        failsNaming(keys("a.example.org:389", "store.ldap.tls", "ssl"), "store.ldap.tls");
    }

    @Test
    void plainLdapToAHostThatIsNotLoopbackIsRefusedUnlessExplicitlyAllowed() {
        failsNaming(keys("ldap.example.org:389", "store.ldap.tls", "none"), "store.ldap.allowInsecurePlain");
        failsNaming(keys("127.0.0.1:389, 10.0.0.5:389", "store.ldap.tls", "none"), "10.0.0.5:389");

        LdapStoreSettings allowed = LdapStoreSettings.fromProperties(keys("ldap.example.org:389", "store.ldap.tls", "none",
                "store.ldap.allowInsecurePlain", "true"));
        assertThat(allowed.tls().mode()).isEqualTo(LdapTls.Mode.NONE);
        assertThat(allowed.toString()).contains("insecure plain allowed");
        assertThat(LdapStoreSettings.fromProperties(keys("localhost:389, 127.0.0.2:389, [::1]:389", "store.ldap.tls", "none"))
                .tls().mode()).isEqualTo(LdapTls.Mode.NONE);
    }

    @Test
    void loopbackIsDecidedFromLiteralsWithoutResolvingNames() {
        assertThat(LdapTls.isLoopback("localhost")).isTrue();
        assertThat(LdapTls.isLoopback("127.1.2.3")).isTrue();
        assertThat(LdapTls.isLoopback("::1")).isTrue();
        assertThat(LdapTls.isLoopback("127.0.0.1.example.org")).isFalse();
        assertThat(LdapTls.isLoopback("localhost.example.org")).isFalse();
        assertThat(LdapTls.isLoopback("10.0.0.1")).isFalse();
    }

    @Test
    void settingsThatWouldDoNothingAreRefused() throws Exception {
        Path truststore = Files.writeString(dir.resolve("trust.p12"), "x");
        failsNaming(keys("127.0.0.1:389", "store.ldap.tls", "none", "store.ldap.truststore", truststore.toString()),
                "store.ldap.truststore");
        failsNaming(keys("ldap.example.org:389", "store.ldap.allowInsecurePlain", "true"), "store.ldap.allowInsecurePlain");
        failsNaming(keys("ldap.example.org:389", "store.ldap.allowInsecurePlain", "yes please"), "store.ldap.allowInsecurePlain");
        failsNaming(keys("ldap.example.org:389", "store.ldap.truststorePassword", "pw"), "store.ldap.truststorePassword");
        failsNaming(keys("ldap.example.org:389", "store.ldap.truststore", dir.resolve("missing.p12").toString()),
                "store.ldap.truststore");
    }

    @Test
    void aMisspeltKeyIsRefusedNamingIt() {
        failsNaming(keys("ldap.example.org:389", "store.ldap.tsl", "none"), "store.ldap.tsl");
        // the purge task's keys share the map and are not the store's business
        assertThat(LdapStoreSettings.fromProperties(keys("ldap.example.org:389", "store.ldap.purge.deleteThreads", "2")))
                .isNotNull();
    }

    @Test
    void secretsAreMaskedInTheLog() throws Exception {
        Path truststore = Files.writeString(dir.resolve("trust.p12"), "x");
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        LdapStoreSettings s = LdapStoreSettings.fromProperties(keys("ldap.example.org:389", "store.ldap.truststore",
                truststore.toString(), "store.ldap.truststorePassword", "trust-secret", "store.encryption.key", key));

        assertThat(s.toString()).doesNotContain("trust-secret").doesNotContain(key).doesNotContain("pw,")
                .contains("starttls").contains(truststore.toString()).contains("encryption=AES-GCM");
    }
}
