package dev.baton.store.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import dev.baton.store.SessionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract against the UnboundID in-memory directory server. */
class InMemoryLdapSessionStoreTest extends SessionStoreContract {
    private static InMemoryDirectoryServer server;

    @BeforeAll
    static void startServer() {
        server = LdapStoreTesting.startInMemory();
    }

    @AfterAll
    static void stopServer() {
        server.shutDown(true);
    }

    @Override
    SessionStore openEmptyStore() {
        return LdapSessionStore.connect(LdapStoreTesting.settings(server.getListenPort(), LdapStoreTesting.freshBaseDn()));
    }
}
