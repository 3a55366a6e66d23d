package dev.baton.store.ldap;

import dev.baton.store.SessionStore;
import dev.baton.store.SessionStoreContractTest;
import dev.baton.testing.ThrowawaySlapd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract against a real OpenLDAP slapd started for this class. */
class SlapdLdapSessionStoreTest extends SessionStoreContractTest {
    private LdapStoreSettings settings;

    private static ThrowawaySlapd slapd;

    @BeforeAll
    static void startSlapd() {
        slapd = LdapStoreTesting.startSlapd();
    }

    @AfterAll
    static void stopSlapd() {
        if (slapd != null) {
            slapd.close();
        }
    }

    @Override
    protected SessionStore openStore() {
        settings = LdapStoreTesting.settings(slapd.port(), LdapStoreTesting.freshBaseDn());
        return LdapSessionStore.connect(settings);
    }

    @Override
    protected SessionStore openSecondNode() {
        return LdapSessionStore.connect(settings); // a second gateway on the same directory
    }
}
