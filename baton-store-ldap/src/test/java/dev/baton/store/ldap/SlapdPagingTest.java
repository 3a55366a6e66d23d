package dev.baton.store.ldap;

import dev.baton.store.StoredSession;
import dev.baton.store.TimestampColumn;
import dev.baton.testing.ThrowawaySlapd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression: counting more sessions than one page failed on OpenLDAP with "paged results cookie is invalid"
 * when the pages went over different pooled connections.
 */
class SlapdPagingTest {
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

    @Test
    void countsAndLoadsAcrossManyPagesOnAPooledConnection() {
        LdapStoreSettings settings = LdapStoreTesting.settings(slapd.port(), LdapStoreTesting.freshBaseDn());
        try (LdapSessionStore store = LdapSessionStore.connect(settings, 3)) {
            List<StoredSession> sessions = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                StoredSession s = LdapTestSessions.expiringAt(LdapTestSessions.T0.plusSeconds(i + 1));
                store.store(s);
                sessions.add(s);
            }
            // several searches in a row, so pages would land on different connections if not pinned
            for (int round = 0; round < 3; round++) {
                assertThat(store.countExpired(TimestampColumn.EXPIRY_TIME, LdapTestSessions.T0.plusSeconds(100))).isEqualTo(11);
                assertThat(store.loadOwnedBy("gw-a", LdapTestSessions.T0, 100)).hasSize(11);
            }
        }
    }
}
