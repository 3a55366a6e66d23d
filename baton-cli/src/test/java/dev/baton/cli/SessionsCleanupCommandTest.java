package dev.baton.cli;

import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.Session;
import dev.baton.core.SessionId;
import dev.baton.store.StoredSession;
import dev.baton.store.jdbc.JdbcSessionStore;
import dev.baton.store.jdbc.JdbcStoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code baton sessions cleanup [--dry-run]} against a gateway's H2 storage. */
class SessionsCleanupCommandTest {
    @TempDir
    Path dir;

    @Test
    void dryRunCountsAndARunRemovesWithProgress() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("sessions").toAbsolutePath();
        Instant now = Instant.now();
        try (JdbcSessionStore store = JdbcSessionStore.open(JdbcStoreConfig.of(url, "sa", ""))) {
            for (int i = 0; i < 1_200; i++) {
                Instant start = now.minus(Duration.ofDays(2));
                Session s = Session.start(SessionId.generate().hash(), "u" + i, "users", new AuthGroup("corp"), AuthServerKind.LOCAL,
                        Set.of("staff"), Map.of(), start, "gw");
                store.store(new StoredSession(s, i < 1_000 ? now.minus(Duration.ofHours(1)) : now.plus(Duration.ofHours(1))));
            }
        }
        Path config = dir.resolve("gw.yaml");
        Files.writeString(config, """
                name: gw
                federation: { url: "https://127.0.0.1:8443", user: gw, password: x, trust-all: true }
                storage: { type: h2, url: "%s", user: sa, cleanup: { batch-size: 300 } }
                roles: { staff: {} }
                realms:
                  - { name: users, auth-server: { kind: anonymous }, role-mapping: [ { when: ["username=*"], roles: [staff] } ] }
                """.formatted(url));

        StringWriter out = new StringWriter();
        int dry = BatonCommand.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "sessions", "cleanup",
                "--config", config.toString(), "--dry-run");
        assertThat(dry).isZero();
        assertThat(out.toString()).contains("1000 sessions would be removed (expiry_time older than now minus 10 minutes)");

        StringWriter run = new StringWriter();
        StringWriter err = new StringWriter();
        int status = BatonCommand.execute(new PrintWriter(run), new PrintWriter(err), "sessions", "cleanup", "--config", config.toString());
        assertThat(status).as(err.toString()).isZero();
        assertThat(run.toString()).contains("batch of 300 removed; 300 so far").contains("COMPLETED: 1000 sessions removed in");
        try (JdbcSessionStore store = JdbcSessionStore.open(JdbcStoreConfig.of(url, "sa", ""))) {
            assertThat(store.countExpired(dev.baton.store.TimestampColumn.EXPIRY_TIME, Instant.now())).isZero();
            assertThat(store.loadOwnedBy("gw", Instant.now(), 1_000)).hasSize(200);
        }
    }

    @Test
    void theSimulatedClockOfAGatewayIsHonouredAndAnnounced() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("sessions").toAbsolutePath();
        Instant now = Instant.now();
        try (JdbcSessionStore store = JdbcSessionStore.open(JdbcStoreConfig.of(url, "sa", ""))) {
            for (int i = 0; i < 10; i++) {
                Session s = Session.start(SessionId.generate().hash(), "u" + i, "users", new AuthGroup("corp"), AuthServerKind.LOCAL,
                        Set.of("staff"), Map.of(), now, "gw");
                store.store(new StoredSession(s, now.plus(Duration.ofHours(1))));
            }
        }
        Path config = dir.resolve("gw.yaml");
        Files.writeString(config, """
                name: gw
                storage: { type: h2, url: "%s", user: sa }
                roles: { staff: {} }
                realms: [ { name: users, auth-server: { kind: anonymous } } ]
                """.formatted(url));
        StringWriter out = new StringWriter();
        assertThat(BatonCommand.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "sessions", "cleanup",
                "--config", config.toString(), "--dry-run")).isZero();
        assertThat(out.toString()).contains("0 sessions would be removed");

        Path offset = dir.resolve("offset");
        Files.writeString(offset, "PT2H");
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(SimulatedClockOffset.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> warnings = new ch.qos.logback.core.read.ListAppender<>();
        warnings.start();
        log.addAppender(warnings);
        StringWriter run = new StringWriter();
        try {
            assertThat(BatonCommand.execute(new PrintWriter(run), new PrintWriter(new StringWriter()), "sessions", "cleanup",
                    "--config", config.toString(), "--simulated-clock-offset-file", offset.toString())).isZero();
        } finally {
            log.detachAppender(warnings);
        }
        assertThat(run.toString()).contains("COMPLETED: 10 sessions removed");
        assertThat(warnings.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .startsWith("SIMULATED CLOCK, FOR TESTS ONLY, NEVER IN PRODUCTION: sessions cleanup reads time"));
    }
}
