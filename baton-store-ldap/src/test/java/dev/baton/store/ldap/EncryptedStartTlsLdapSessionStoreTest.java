package dev.baton.store.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import dev.baton.store.SessionStore;
import dev.baton.store.SessionStoreContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The whole store contract over StartTLS with sealed attributes, as a production set-up would run. */
class EncryptedStartTlsLdapSessionStoreTest extends SessionStoreContractTest {
    private LdapStoreSettings settings;

    @TempDir
    static Path certificates;
    private static TlsDirectories.Certificate certificate;
    private static InMemoryDirectoryServer server;

    @BeforeAll
    static void startServer() {
        certificate = TlsDirectories.forLoopback(certificates, "directory");
        server = TlsDirectories.startStartTls(certificate, null);
    }

    @AfterAll
    static void stopServer() {
        server.shutDown(true);
    }

    @Override
    protected SessionStore openStore() {
        settings = LdapStoreTesting.settings(server.getListenPort(), LdapStoreTesting.freshBaseDn())
                .withTls(LdapTls.startTls(certificate.truststore(), TlsDirectories.PASSWORD))
                .withEncryptionKey(LdapAttributeEncryptionTest.KEY);
        return LdapSessionStore.connect(settings);
    }

    @Override
    protected SessionStore openSecondNode() {
        return LdapSessionStore.connect(settings); // a second gateway on the same directory
    }
}
