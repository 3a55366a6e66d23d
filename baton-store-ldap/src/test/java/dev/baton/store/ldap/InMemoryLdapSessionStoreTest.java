package dev.baton.store.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import dev.baton.store.SessionStore;
import dev.baton.store.SessionStoreContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract against the UnboundID in-memory directory server. */
class InMemoryLdapSessionStoreTest extends SessionStoreContractTest {
    private LdapStoreSettings settings;

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
    protected SessionStore openStore() {
        settings = LdapStoreTesting.settings(server.getListenPort(), LdapStoreTesting.freshBaseDn());
        return LdapSessionStore.connect(settings);
    }

    @Override
    protected SessionStore openSecondNode() {
        return LdapSessionStore.connect(settings); // a second gateway on the same directory
    }
}
