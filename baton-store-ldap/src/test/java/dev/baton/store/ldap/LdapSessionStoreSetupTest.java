package dev.baton.store.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.schema.Schema;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.testing.ThrowawaySlapd;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connecting: base entry creation, bad settings, a directory without the Baton schema. */
class LdapSessionStoreSetupTest {

    @Test
    void createsAMissingOrganizationalUnitBaseEntry() throws Exception {
        InMemoryDirectoryServer server = LdapStoreTesting.startInMemory();
        try {
            LdapSessionStore.connect(LdapStoreTesting.settings(server.getListenPort(), "ou=new," + LdapStoreTesting.SUFFIX)).close();
            assertThat(server.getEntry("ou=new," + LdapStoreTesting.SUFFIX)).isNotNull();
            // and a second node connecting afterwards finds it
            LdapSessionStore.connect(LdapStoreTesting.settings(server.getListenPort(), "ou=new," + LdapStoreTesting.SUFFIX)).close();
        } finally {
            server.shutDown(true);
        }
    }

    @Test
    void aMissingBaseEntryThatIsNotAnOrganizationalUnitIsAConfigurationError() {
        InMemoryDirectoryServer server = LdapStoreTesting.startInMemory();
        try {
            assertThatThrownBy(() -> LdapSessionStore.connect(
                    LdapStoreTesting.settings(server.getListenPort(), "cn=sessions," + LdapStoreTesting.SUFFIX)))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                    .hasMessageContaining("cn=sessions," + LdapStoreTesting.SUFFIX);
        } finally {
            server.shutDown(true);
        }
    }

    @Test
    void wrongCredentialsAreAConfigurationError() {
        InMemoryDirectoryServer server = LdapStoreTesting.startInMemory();
        try {
            LdapStoreSettings wrong = LdapStoreSettings.of(List.of(new LdapStoreSettings.Server("127.0.0.1", server.getListenPort())),
                    ThrowawaySlapd.ROOT_DN, "not-the-password", LdapStoreTesting.freshBaseDn()).withTls(LdapTls.none());
            assertThatThrownBy(() -> LdapSessionStore.connect(wrong))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                    .hasMessageContaining("invalid credentials");
        } finally {
            server.shutDown(true);
        }
    }

    @Test
    void aDirectoryWithoutTheBatonSchemaSaysSoWhenStoring() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(LdapStoreTesting.SUFFIX);
        config.addAdditionalBindCredentials(ThrowawaySlapd.ROOT_DN, ThrowawaySlapd.PASSWORD);
        config.setSchema(Schema.getDefaultStandardSchema());
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.add("dn: " + LdapStoreTesting.SUFFIX, "objectClass: dcObject", "objectClass: organization", "o: b", "dc: baton");
        server.startListening();
        try (LdapSessionStore store = LdapSessionStore.connect(LdapStoreTesting.settings(server.getListenPort(), LdapStoreTesting.freshBaseDn()))) {
            assertThatThrownBy(() -> store.store(LdapTestSessions.expiringAt(LdapTestSessions.T0)))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                    .hasMessageContaining("Baton schema");
        } finally {
            server.shutDown(true);
        }
    }

    @Test
    void settingsAreReadFromPropertiesWithDefaults() {
        LdapStoreSettings s = LdapKeys.settings(Map.of(
                "store.ldap.servers", "ldap1.example.org:389, ldap2.example.org:1389",
                "store.ldap.bindDn", "cn=baton,dc=example,dc=org",
                "store.ldap.password", "pw",
                "store.ldap.baseDn", "ou=sessions,dc=example,dc=org"));

        assertThat(s.servers()).containsExactly(new LdapStoreSettings.Server("ldap1.example.org", 389),
                new LdapStoreSettings.Server("ldap2.example.org", 1389));
        assertThat(s.poolSize()).isEqualTo(10);
        assertThat(s.toString()).contains("password=****").doesNotContain("pw,");
    }

    @Test
    void badSettingsFailNamingTheKey() {
        assertThatThrownBy(() -> LdapKeys.settings(Map.of("store.ldap.servers", "h:389")))
                .hasMessageContaining("store.ldap.bindDn");
        assertThatThrownBy(() -> LdapKeys.settings(Map.of("store.ldap.servers", "h-without-port",
                "store.ldap.bindDn", "x", "store.ldap.password", "p", "store.ldap.baseDn", "dc=x")))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageContaining("store.ldap.servers").hasMessageContaining("h-without-port");
        assertThatThrownBy(() -> LdapSessionStore.connect(LdapStoreSettings.of(List.of(new LdapStoreSettings.Server("h", 1)),
                "x", "p", "not a dn"))).hasMessageContaining("store.ldap.baseDn");
    }
}
