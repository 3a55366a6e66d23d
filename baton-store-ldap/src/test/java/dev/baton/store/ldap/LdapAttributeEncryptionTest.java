package dev.baton.store.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.Entry;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.store.StoredSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Session attributes sealed at rest in the directory with the SQL stores' {@code store.encryption.key}. */
class LdapAttributeEncryptionTest {
    static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static InMemoryDirectoryServer server;

    @BeforeAll
    static void startServer() {
        server = LdapStoreTesting.startInMemory();
    }

    @AfterAll
    static void stopServer() {
        server.shutDown(true);
    }

    private static LdapStoreSettings settings(String baseDn, String key) {
        return LdapStoreTesting.settings(server.getListenPort(), baseDn).withEncryptionKey(key);
    }

    /** The raw {@code batonSessionData} of {@code stored}, read straight from the directory. */
    private static String rawData(String baseDn, StoredSession stored) throws Exception {
        Entry entry = server.getEntry("batonSessionIdHash=" + stored.session().hash().hex() + "," + baseDn);
        return new String(entry.getAttributeValueBytes(SessionEntries.DATA), StandardCharsets.UTF_8);
    }

    @Test
    void attributesAreSealedInTheDirectoryAndReadBackWithTheKey() throws Exception {
        String baseDn = LdapStoreTesting.freshBaseDn();
        StoredSession stored = LdapTestSessions.expiringAt(LdapTestSessions.T0.plusSeconds(60));
        try (LdapSessionStore store = LdapSessionStore.connect(settings(baseDn, KEY))) {
            store.store(stored);
            assertThat(store.load(stored.session().hash())).contains(stored);
        }

        assertThat(rawData(baseDn, stored)).contains("\"attributesSealed\":\"v1:")
                .doesNotContain("R&D").doesNotContain("a@example.org").doesNotContain("department");
        try (LdapSessionStore reopened = LdapSessionStore.connect(settings(baseDn, KEY))) {
            assertThat(reopened.load(stored.session().hash())).contains(stored);
        }
    }

    @Test
    void attributesAreInClearWithoutAKey() throws Exception {
        String baseDn = LdapStoreTesting.freshBaseDn();
        StoredSession stored = LdapTestSessions.expiringAt(LdapTestSessions.T0.plusSeconds(60));
        try (LdapSessionStore store = LdapSessionStore.connect(settings(baseDn, ""))) {
            store.store(stored);
        }

        assertThat(rawData(baseDn, stored)).contains("a@example.org").contains("\"attributesSealed\":null");
    }

    @Test
    void aStoreOpenedWithAWrongKeyFailsNamingTheKey() {
        String baseDn = LdapStoreTesting.freshBaseDn();
        try (LdapSessionStore store = LdapSessionStore.connect(settings(baseDn, KEY))) {
            store.store(LdapTestSessions.expiringAt(LdapTestSessions.T0.plusSeconds(60)));
        }

        assertThatThrownBy(() -> LdapSessionStore.connect(settings(baseDn, OTHER_KEY)))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageContaining("store.encryption.key").hasMessageContaining(baseDn)
                .hasMessageNotContaining(KEY).hasMessageNotContaining(OTHER_KEY);
        assertThatThrownBy(() -> LdapSessionStore.connect(settings(baseDn, "")))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageContaining("store.encryption.key is not set");
    }

    @Test
    void aSessionSealedWithAnotherKeyFailsToLoadInsteadOfReturningGarbage() {
        String baseDn = LdapStoreTesting.freshBaseDn();
        try (LdapSessionStore wrong = LdapSessionStore.connect(settings(baseDn, OTHER_KEY)); // empty: nothing to check yet
             LdapSessionStore right = LdapSessionStore.connect(settings(baseDn, KEY))) {
            StoredSession stored = LdapTestSessions.expiringAt(LdapTestSessions.T0.plusSeconds(60));
            right.store(stored);

            assertThatThrownBy(() -> wrong.load(stored.session().hash()))
                    .isInstanceOf(BatonException.class).hasMessageContaining("wrong store.encryption.key");
            assertThatThrownBy(() -> wrong.loadOwnedBy("gw-a", LdapTestSessions.T0, 10))
                    .isInstanceOf(BatonException.class).hasMessageContaining("wrong store.encryption.key");
        }
    }

    @Test
    void aKeyThatOpensSomeStoredSessionsIsAccepted() {
        String baseDn = LdapStoreTesting.freshBaseDn();
        try (LdapSessionStore before = LdapSessionStore.connect(settings(baseDn, ""))) {
            before.store(LdapTestSessions.expiringAt(LdapTestSessions.T0.plusSeconds(60)));
        }
        // Turning encryption on for a directory with sessions in clear: they stay readable.
        try (LdapSessionStore after = LdapSessionStore.connect(settings(baseDn, KEY))) {
            assertThat(after.loadOwnedBy("gw-a", LdapTestSessions.T0, 10)).hasSize(1);
        }
    }

    @Test
    void aMalformedKeyIsAConfigurationErrorNamingIt() {
        assertThatThrownBy(() -> settings(LdapStoreTesting.freshBaseDn(), "not base64!"))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageContaining("store.encryption.key");
        assertThatThrownBy(() -> settings(LdapStoreTesting.freshBaseDn(), Base64.getEncoder().encodeToString(new byte[10])))
                .hasMessageContaining("store.encryption.key");
    }
}
