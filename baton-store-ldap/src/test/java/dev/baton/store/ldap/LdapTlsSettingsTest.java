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
        assertThatThrownBy(() -> LdapKeys.settings(keys))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageContaining(key);
    }

    @Test
    void startTlsTrustingTheJvmIsTheDefault() {
        LdapStoreSettings s = LdapKeys.settings(keys("ldap.example.org:389"));

        assertThat(s.tls()).isEqualTo(LdapTls.startTls());
        assertThat(LdapStoreSettings.of(s.servers(), "cn=x", "pw", "dc=x").tls().mode()).isEqualTo(LdapTls.Mode.STARTTLS);
    }

    @Test
    void ldapsUrlsImplyLdapsAndTheirDefaultPort() {
        LdapStoreSettings s = LdapKeys.settings(keys("ldaps://ldap1.example.org, ldaps://ldap2.example.org:1636/"));

        assertThat(s.tls().mode()).isEqualTo(LdapTls.Mode.LDAPS);
        assertThat(s.servers()).containsExactly(new LdapStoreSettings.Server("ldap1.example.org", 636),
                new LdapStoreSettings.Server("ldap2.example.org", 1636));
        assertThat(LdapKeys.settings(keys("ldap://ldap1.example.org")).servers())
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

        LdapStoreSettings allowed = LdapKeys.settings(keys("ldap.example.org:389", "store.ldap.tls", "none",
                "store.ldap.allowInsecurePlain", "true"));
        assertThat(allowed.tls().mode()).isEqualTo(LdapTls.Mode.NONE);
        assertThat(allowed.toString()).contains("insecure plain allowed");
        assertThat(LdapKeys.settings(keys("localhost:389, 127.0.0.2:389, [::1]:389", "store.ldap.tls", "none"))
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
        failsNaming(keys("ldap.example.org:389", "store.ldap.tsl", "none"), "store.ldap.tsl: is not a known key here");
        // the purge task's keys are a section of their own (storage.purge), not the store's business
        failsNaming(keys("ldap.example.org:389", "store.ldap.purge.deleteThreads", "2"), "store.ldap.purge.deleteThreads");
    }

    @Test
    void everyKeyIsRead() throws Exception {
        Path truststore = Files.writeString(dir.resolve("trust.p12"), "x");
        LdapStoreSettings s = LdapKeys.settings(keys("ldap1.example.org:1389, ldap2.example.org:2389",
                "store.ldap.tls", "ldaps", "store.ldap.truststore", truststore.toString(), "store.ldap.truststorePassword", "tp",
                "store.ldap.poolSize", "3", "store.ldap.connectTimeout", "1500", "store.ldap.responseTimeout", "2500"));

        assertThat(s.servers()).extracting(LdapStoreSettings.Server::port).containsExactly(1389, 2389);
        assertThat(s.bindDn()).isEqualTo("cn=baton,dc=x");
        assertThat(s.password()).isEqualTo("pw");
        assertThat(s.baseDn()).isEqualTo("ou=sessions,dc=x");
        assertThat(s.tls().mode()).isEqualTo(LdapTls.Mode.LDAPS);
        assertThat(s.tls().truststore()).isEqualTo(truststore);
        assertThat(s.tls().truststorePassword()).isEqualTo("tp");
        assertThat(s.poolSize()).isEqualTo(3);
        assertThat(s.connectTimeout()).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(s.responseTimeout()).isEqualTo(java.time.Duration.ofMillis(2500));
    }

    @Test
    void serversMayBeAYamlList() {
        LdapStoreSettings s = LdapStoreSettings.from(new dev.baton.core.config.ConfigNode(Map.of("servers",
                java.util.List.of("ldaps://a.example.org", "ldaps://b.example.org:1636"), "bindDn", "cn=x", "password", "pw",
                "baseDn", "dc=x"), "storage.ldap"), "");
        assertThat(s.servers()).hasSize(2);
        assertThatThrownBy(() -> LdapStoreSettings.from(new dev.baton.core.config.ConfigNode(Map.of("servers", "h:389",
                "bindDn", "cn=x", "password", "pw", "baseDn", "dc=x", "poolSize", 0), "storage.ldap"), ""))
                .hasMessage("storage.ldap.poolSize: must be at least 1, got 0");
    }

    @Test
    void secretsAreMaskedInTheLog() throws Exception {
        Path truststore = Files.writeString(dir.resolve("trust.p12"), "x");
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        LdapStoreSettings s = LdapKeys.settings(keys("ldap.example.org:389", "store.ldap.truststore",
                truststore.toString(), "store.ldap.truststorePassword", "trust-secret", "store.encryption.key", key));

        assertThat(s.toString()).doesNotContain("trust-secret").doesNotContain(key).doesNotContain("pw,")
                .contains("starttls").contains(truststore.toString()).contains("encryption=AES-GCM");
    }
}
