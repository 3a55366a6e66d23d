package dev.baton.gateway.auth;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LdapConfigTest {
    static final List<String> SERVERS = List.of("127.0.0.1:389");

    private static void rejects(Runnable build, String key) {
        assertThatThrownBy(build::run).isInstanceOfSatisfying(BatonException.class, e -> {
            assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION);
            assertThat(e.getMessage()).startsWith(key + ":");
        });
    }

    @Test
    void defaultsFollowTheMode() {
        assertThat(LdapConfig.ldap(SERVERS, null, null, "dc=x").userFilter()).isEqualTo("(uid={0})");
        LdapConfig ad = LdapConfig.activeDirectory(SERVERS, null, null, null, "dc=x");
        assertThat(ad.userFilter()).isEqualTo("(sAMAccountName={0})");
        assertThat(ad.returnsAttributes()).isFalse();
    }

    @Test
    void badValuesAreRejectedNamingTheKey() {
        rejects(() -> LdapConfig.ldap(List.of(), null, null, "dc=x"), "ldap.servers");
        rejects(() -> LdapConfig.ldap(List.of("host:99999"), null, null, "dc=x"), "ldap.servers");
        rejects(() -> LdapConfig.ldap(List.of("host:ldap"), null, null, "dc=x"), "ldap.servers");
        rejects(() -> LdapConfig.ldap(SERVERS, "not a dn", "p", "dc=x"), "ldap.bindDn");
        rejects(() -> LdapConfig.ldap(SERVERS, "cn=reader,dc=x", null, "dc=x"), "ldap.bindPassword");
        rejects(() -> LdapConfig.ldap(SERVERS, null, null, null), "ldap.baseDn");
        rejects(() -> LdapConfig.ldap(SERVERS, null, null, "dc=x").withUserFilter("(uid=alice)"), "ldap.userFilter");
        rejects(() -> LdapConfig.ldap(SERVERS, null, null, "dc=x").withUserFilter("(uid={0}"), "ldap.userFilter");
        rejects(() -> LdapConfig.ldap(SERVERS, null, null, "dc=x").withTimeouts(Duration.ZERO, Duration.ofSeconds(1)), "ldap.connectTimeout");
        rejects(() -> LdapConfig.activeDirectory(SERVERS, "corp.example", null, null, null).withAttributes(List.of("title")), "ldap.baseDn");
        rejects(() -> LdapConfig.ldap(SERVERS, null, null, "dc=x").withSecurity(LdapConfig.Security.START_TLS, java.nio.file.Path.of("/nonexistent/ca.pem")), "ldap.caFile");
        rejects(() -> LdapConfig.ldap(SERVERS, null, null, "dc=x").withSecurity(null, null), "ldap.security");
        rejects(() -> LdapConfig.Security.parse("tls"), "ldap.security");
    }

    @Test
    void tlsIsTheDefaultAndLdapsChangesTheDefaultPort() {
        LdapConfig config = LdapConfig.ldap(List.of("dir1"), null, null, "dc=x");
        assertThat(config.security()).isEqualTo(LdapConfig.Security.START_TLS);
        assertThat(config.defaultPort()).isEqualTo(389);
        assertThat(config.withSecurity(LdapConfig.Security.parse("ldaps"), null).defaultPort()).isEqualTo(636);
    }

    @Test
    void activeDirectoryWithADomainNeedsNoBaseDnUntilAttributesAreLookedUp() {
        assertThat(LdapConfig.activeDirectory(SERVERS, "corp.example", null, null, null).baseDn()).isNull();
    }

    @Test
    void theServicePasswordNeverShowsInTheLoggedConfiguration() {
        assertThat(LdapConfig.ldap(SERVERS, "cn=reader,dc=x", "hunter2", "dc=x").toString()).doesNotContain("hunter2").contains("****");
    }
}
