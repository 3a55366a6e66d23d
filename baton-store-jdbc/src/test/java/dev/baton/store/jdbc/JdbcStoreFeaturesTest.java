package dev.baton.store.jdbc;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.testing.ManualClock;
import dev.baton.store.StoredSession;
import dev.baton.store.TestSessions;
import dev.baton.store.TieredSessionStore;
import dev.baton.store.TieredStoreSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Restart on the default H2 file store, encryption at rest, configuration errors. */
class JdbcStoreFeaturesTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();

    private JdbcStoreConfig h2() {
        return JdbcStoreConfig.of("jdbc:h2:file:" + dir.resolve("sessions"), "sa", "");
    }

    @Test
    void restartedGatewayFindsItsSessionsInTheH2FileAndResumesThem() {
        StoredSession s = TestSessions.session("alice", "gw-a", clock.instant(), Duration.ofMinutes(30));
        try (JdbcSessionStore store = JdbcSessionStore.open(h2());
             TieredSessionStore gateway = new TieredSessionStore(store, TieredStoreSettings.DEFAULTS, "gw-a", clock, new SimpleMeterRegistry())) {
            gateway.put(s);
        }
        clock.advance(Duration.ofMinutes(10));
        try (JdbcSessionStore store = JdbcSessionStore.open(h2());
             TieredSessionStore gateway = new TieredSessionStore(store, TieredStoreSettings.DEFAULTS, "gw-a", clock, new SimpleMeterRegistry())) {
            assertThat(gateway.get(s.session().hash())).contains(s);
        }
    }

    @Test
    void sessionDataIsAnInlineStringOnH2AndAVersionOneDatabaseIsUpgradedWithItsSessions() throws Exception {
        // A database as the first release left it: session_data a CLOB, one session in it.
        org.flywaydb.core.Flyway.configure().dataSource(h2().url(), "sa", "").locations(Dialect.H2.migrations())
                .table("baton_schema_history").placeholders(Map.of("prefix", "baton_")).target("1").load().migrate();
        StoredSession old = TestSessions.session("alice", "gw-a", clock.instant(), Duration.ofMinutes(30));
        try (Connection c = DriverManager.getConnection(h2().url(), "sa", "");
             var ps = c.prepareStatement("INSERT INTO baton_sessions VALUES (?, 'alice', 'users', 'corp', 'gw-a', 0, 0, ?, ?)")) {
            ps.setString(1, old.session().hash().hex());
            ps.setLong(2, old.expiryTime().toEpochMilli());
            ps.setString(3, dev.baton.store.SessionCodec.plain().encode(old));
            ps.executeUpdate();
        }
        // Large attributes (a directory's group list, say) still fit inline.
        StoredSession big = new StoredSession(dev.baton.core.Session.start(TestSessions.newHash(), "bob", "users",
                new dev.baton.core.AuthGroup("corp"), dev.baton.core.AuthServerKind.LDAP, java.util.Set.of("staff"),
                Map.of("memberOf", java.util.Collections.nCopies(4000, "cn=a-rather-long-group-name,ou=groups,dc=example,dc=org")),
                clock.instant(), "gw-a"), clock.instant().plus(Duration.ofMinutes(30)));
        try (JdbcSessionStore store = JdbcSessionStore.open(h2())) {
            assertThat(store.load(old.session().hash())).contains(old);
            store.store(big);
            assertThat(store.load(big.session().hash())).contains(big);
        }
        try (Connection c = DriverManager.getConnection(h2().url(), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS"
                     + " WHERE TABLE_NAME = 'BATON_SESSIONS' AND COLUMN_NAME = 'SESSION_DATA'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("CHARACTER VARYING");
        }
    }

    @Test
    void encryptedAttributesAreNotInClearInTheDatabase() throws Exception {
        StoredSession s = TestSessions.session("alice", "gw-a", clock.instant(), Duration.ofMinutes(30));
        try (JdbcSessionStore store = JdbcSessionStore.open(h2().withEncryptionKey(KEY))) {
            store.store(s);
            assertThat(store.load(s.session().hash())).contains(s);
        }
        try (Connection c = DriverManager.getConnection(h2().url(), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT session_data FROM baton_sessions")) {
            rs.next();
            assertThat(rs.getString(1)).doesNotContain("sales").doesNotContain("a@example.org").contains("attributesSealed");
        }
        try (JdbcSessionStore withoutKey = JdbcSessionStore.open(h2())) {
            assertThatThrownBy(() -> withoutKey.load(s.session().hash())).isInstanceOf(BatonException.class)
                    .hasMessageContaining("store.encryption.key");
        }
    }

    @Test
    void attributesAreInClearByDefault() throws Exception {
        StoredSession s = TestSessions.session("alice", "gw-a", clock.instant(), Duration.ofMinutes(30));
        try (JdbcSessionStore store = JdbcSessionStore.open(h2())) {
            store.store(s);
        }
        try (Connection c = DriverManager.getConnection(h2().url(), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT id_hash, user_name, owner_gateway, expiry_time, session_data FROM baton_sessions")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(s.session().hash().hex());
            assertThat(rs.getString(2)).isEqualTo("alice");
            assertThat(rs.getString(3)).isEqualTo("gw-a");
            assertThat(rs.getLong(4)).isEqualTo(s.expiryTime().toEpochMilli());
            assertThat(rs.getString(5)).contains("sales");
        }
    }

    @Test
    void unreachableDatabaseFailsLoudlyAsUnavailable() {
        JdbcStoreConfig nowhere = new JdbcStoreConfig("jdbc:postgresql://127.0.0.1:1/none?user=x", "", "", "baton_", 1,
                Duration.ofMillis(300), "").withStartupTimeout(Duration.ofMillis(300));
        assertThatThrownBy(() -> JdbcSessionStore.open(nowhere)).isInstanceOf(BatonException.class)
                .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.UNAVAILABLE));
    }

    @Test
    void configurationErrorsNameTheKeyAndSecretsAreMasked() {
        assertThatThrownBy(() -> JdbcStoreConfig.from(Map.of("store.jdbc.url", "jdbc:oracle:thin:@x")))
                .hasMessageContaining("store.jdbc.url");
        assertThatThrownBy(() -> JdbcStoreConfig.from(Map.of("store.jdbc.table-prefix", "Drop;")))
                .hasMessageContaining("store.jdbc.table-prefix");
        assertThatThrownBy(() -> JdbcStoreConfig.from(Map.of("store.jdbc.pool-size", "many")))
                .hasMessageContaining("store.jdbc.pool-size");
        JdbcStoreConfig c = JdbcStoreConfig.from(Map.of("store.jdbc.url", "jdbc:postgresql://h/db?user=u&password=hunter2",
                "store.jdbc.password", "hunter2", "store.encryption.key", KEY));
        assertThat(c.toString()).doesNotContain("hunter2").doesNotContain(KEY).contains("AES-GCM");
        assertThat(JdbcStoreConfig.from(Map.of()).url()).isEqualTo(JdbcStoreConfig.DEFAULT_URL);
    }
}
