package dev.baton.store.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.store.StoredSession;
import dev.baton.testing.ThrowawaySlapd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The session store over LDAPS and StartTLS: what is trusted, what is refused, and that TLS is really used. */
class LdapTlsTest {
    @TempDir
    static Path certificates;
    private static TlsDirectories.Certificate loopback;
    private static TlsDirectories.Certificate stranger;
    private static TlsDirectories.Certificate otherHost;

    private final List<InMemoryDirectoryServer> servers = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() {
        loopback = TlsDirectories.forLoopback(certificates, "loopback");
        stranger = TlsDirectories.forLoopback(certificates, "stranger");
        otherHost = TlsDirectories.certificate(certificates, "other-host", "ldap.example.org", null);
    }

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.shutDown(true));
    }

    private InMemoryDirectoryServer started(InMemoryDirectoryServer server) {
        servers.add(server);
        return server;
    }

    /** The {@code store.ldap.*} keys an operator would write for {@code servers}, trusting {@code truststore}. */
    private static Map<String, String> keys(String servers, String tls, Path truststore) {
        Map<String, String> keys = new HashMap<>(Map.of("store.ldap.servers", servers,
                "store.ldap.bindDn", ThrowawaySlapd.ROOT_DN, "store.ldap.password", ThrowawaySlapd.PASSWORD,
                "store.ldap.baseDn", LdapStoreTesting.freshBaseDn(), "store.ldap.connectTimeout", "3000"));
        if (tls != null) {
            keys.put("store.ldap.tls", tls);
        }
        if (truststore != null) {
            keys.put("store.ldap.truststore", truststore.toString());
            keys.put("store.ldap.truststorePassword", TlsDirectories.PASSWORD);
        }
        return keys;
    }

    private static void storesAndLoadsASession(LdapStoreSettings settings) {
        try (LdapSessionStore store = LdapSessionStore.connect(settings)) {
            StoredSession s = LdapTestSessions.expiringAt(LdapTestSessions.T0.plusSeconds(60));
            store.store(s);
            assertThat(store.load(s.session().hash())).contains(s);
        }
    }

    @Test
    void storeWorksOverLdapsGivenAsAnLdapsUrl() {
        InMemoryDirectoryServer ldaps = started(TlsDirectories.startLdaps(loopback));
        LdapStoreSettings settings = LdapKeys.settings(
                keys("ldaps://127.0.0.1:" + ldaps.getListenPort(), null, loopback.truststore()));

        assertThat(settings.tls().mode()).isEqualTo(LdapTls.Mode.LDAPS);
        storesAndLoadsASession(settings);
    }

    @Test
    void storeWorksOverLdapsGivenAsTlsModeAndVerifiesTheHostNameLocalhost() {
        InMemoryDirectoryServer ldaps = started(TlsDirectories.startLdaps(loopback));
        storesAndLoadsASession(LdapKeys.settings(
                keys("localhost:" + ldaps.getListenPort(), "ldaps", loopback.truststore())));
    }

    @Test
    void storeWorksOverStartTlsAndUpgradesBeforeBinding() {
        TlsDirectories.AccessLog log = new TlsDirectories.AccessLog();
        InMemoryDirectoryServer server = started(TlsDirectories.startStartTls(loopback, log));
        LdapStoreSettings settings = LdapKeys.settings(
                keys("127.0.0.1:" + server.getListenPort(), "starttls", loopback.truststore()));

        storesAndLoadsASession(settings);

        List<String> lines = log.lines();
        int startTls = indexOf(lines, TlsDirectories.AccessLog.START_TLS, "");
        int bind = indexOf(lines, "BIND REQUEST", ThrowawaySlapd.ROOT_DN);
        assertThat(startTls).as("StartTLS requested; access log: %s", lines).isGreaterThanOrEqualTo(0);
        assertThat(bind).as("bind after StartTLS; access log: %s", lines).isGreaterThan(startTls);
    }

    private static int indexOf(List<String> lines, String operation, String detail) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(operation) && lines.get(i).contains(detail)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void anLdapsCertificateNotInTheTruststoreIsRefused() {
        InMemoryDirectoryServer ldaps = started(TlsDirectories.startLdaps(stranger));
        LdapStoreSettings settings = LdapKeys.settings(
                keys("ldaps://127.0.0.1:" + ldaps.getListenPort(), null, loopback.truststore()));

        assertThatThrownBy(() -> LdapSessionStore.connect(settings))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageContaining("TLS failed").hasMessageContaining("store.ldap.truststore");
        assertThat(ldaps.countEntries()).as("nothing was written").isEqualTo(1);
    }

    @Test
    void aStartTlsCertificateNotInTheTruststoreIsRefusedWithoutFallingBackToPlain() {
        TlsDirectories.AccessLog log = new TlsDirectories.AccessLog();
        InMemoryDirectoryServer server = started(TlsDirectories.startStartTls(stranger, log));
        LdapStoreSettings settings = LdapKeys.settings(
                keys("127.0.0.1:" + server.getListenPort(), "starttls", loopback.truststore()));

        assertThatThrownBy(() -> LdapSessionStore.connect(settings))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageContaining("TLS failed");
        assertThat(log.lines()).noneMatch(line -> line.contains("BIND REQUEST"));
    }

    /**
     * The host name is checked after the handshake. (The SDK's verifier accepts any name for a numeric loopback
     * address, so the server is dialled as {@code localhost} here.)
     */
    @ParameterizedTest
    @EnumSource(value = LdapTls.Mode.class, names = {"LDAPS", "STARTTLS"})
    void aTrustedCertificateForAnotherHostIsRefused(LdapTls.Mode mode) {
        TlsDirectories.AccessLog log = new TlsDirectories.AccessLog();
        InMemoryDirectoryServer server = started(mode == LdapTls.Mode.LDAPS
                ? TlsDirectories.startLdaps(otherHost) : TlsDirectories.startStartTls(otherHost, log));
        LdapStoreSettings settings = LdapKeys.settings(
                keys("localhost:" + server.getListenPort(), mode.name(), otherHost.truststore()));

        assertThatThrownBy(() -> LdapSessionStore.connect(settings))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageContaining("Hostname verification failed").hasMessageContaining("TLS failed");
        assertThat(server.countEntries()).as("nothing was written").isEqualTo(1);
        assertThat(log.lines()).noneMatch(line -> line.contains("BIND REQUEST"));
    }

    @Test
    void startTlsAgainstAServerThatDoesNotOfferItFailsInsteadOfSpeakingPlain() {
        InMemoryDirectoryServer plain = started(LdapStoreTesting.startInMemory());
        LdapStoreSettings settings = LdapKeys.settings(
                keys("127.0.0.1:" + plain.getListenPort(), null, loopback.truststore()));

        assertThat(settings.tls().mode()).as("the default").isEqualTo(LdapTls.Mode.STARTTLS);
        assertThatThrownBy(() -> LdapSessionStore.connect(settings))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageContaining("refuse StartTLS");
        assertThat(plain.countEntries()).as("nothing was written").isEqualTo(1);
    }

    @Test
    void aWrongTruststorePasswordIsReportedAsSuch() {
        InMemoryDirectoryServer ldaps = started(TlsDirectories.startLdaps(loopback));
        Map<String, String> keys = keys("ldaps://127.0.0.1:" + ldaps.getListenPort(), null, loopback.truststore());
        keys.put("store.ldap.truststorePassword", "not-the-password");

        assertThatThrownBy(() -> LdapSessionStore.connect(LdapKeys.settings(keys)))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageContaining("store.ldap.truststore").hasMessageContaining("truststorePassword")
                .hasMessageNotContaining("not-the-password");
    }
}
