package dev.baton.store.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.store.StoredSession;
import dev.baton.testing.ThrowawaySlapd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failover between several directory servers, listed in order of preference. */
class InMemoryFailoverTest {
    private final List<InMemoryDirectoryServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.shutDown(true));
    }

    private InMemoryDirectoryServer server() {
        InMemoryDirectoryServer s = LdapStoreTesting.startInMemory();
        servers.add(s);
        return s;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static LdapStoreSettings settings(int... ports) {
        List<LdapStoreSettings.Server> list = new ArrayList<>();
        for (int p : ports) {
            list.add(new LdapStoreSettings.Server("127.0.0.1", p));
        }
        return LdapStoreSettings.of(list, ThrowawaySlapd.ROOT_DN, ThrowawaySlapd.PASSWORD, "ou=sessions," + LdapStoreTesting.SUFFIX)
                .withTls(LdapTls.none());
    }

    @Test
    void aDeadFirstServerIsSkippedForTheNext() throws Exception {
        InMemoryDirectoryServer second = server();

        try (LdapSessionStore store = LdapSessionStore.connect(settings(closedPort(), second.getListenPort()))) {
            StoredSession s = LdapTestSessions.expiringAt(LdapTestSessions.T0.plusSeconds(60));
            store.store(s);
            assertThat(store.load(s.session().hash())).contains(s);
        }
        assertThat(second.countEntriesBelow("ou=sessions," + LdapStoreTesting.SUFFIX)).isEqualTo(2);
    }

    @Test
    void whenThePreferredServerGoesDownOperationsContinueOnTheNext() throws Exception {
        InMemoryDirectoryServer first = server();
        InMemoryDirectoryServer second = server();
        try (LdapSessionStore store = LdapSessionStore.connect(settings(first.getListenPort(), second.getListenPort()))) {
            StoredSession before = LdapTestSessions.expiringAt(LdapTestSessions.T0.plusSeconds(60));
            store.store(before);
            assertThat(first.countEntriesBelow("ou=sessions," + LdapStoreTesting.SUFFIX)).isEqualTo(2);

            // replicas would share the data; here the second one gets the base entry by hand
            second.add("dn: ou=sessions," + LdapStoreTesting.SUFFIX, "objectClass: organizationalUnit", "ou: sessions");
            first.shutDown(true);

            StoredSession after = LdapTestSessions.expiringAt(LdapTestSessions.T0.plusSeconds(60));
            store.store(after);
            assertThat(store.load(after.session().hash())).contains(after);
            assertThat(second.countEntriesBelow("ou=sessions," + LdapStoreTesting.SUFFIX)).isEqualTo(2);
        }
    }

    @Test
    void noReachableServerIsReportedAsUnavailableNamingTheServers() throws IOException {
        int a = closedPort();
        int b = closedPort();
        assertThatThrownBy(() -> LdapSessionStore.connect(settings(a, b)))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.UNAVAILABLE))
                .hasMessageContaining("127.0.0.1:" + a).hasMessageContaining("127.0.0.1:" + b);
    }
}
