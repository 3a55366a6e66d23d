package dev.baton.gateway;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.core.GatewayKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Regression: at the default level a gateway logged nothing about sign-ins or migrations. Now each sign-in,
 * migration in and out, session end and refusal is one line on {@value EventLog#LOGGER}, session by hash only, and a
 * flood is held to {@value EventLog#LINES_PER_SECOND} lines a second plus one summary line.
 */
class OperatorEventLogTest {
    private final GatewayTest rig = new GatewayTest();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(EventLog.LOGGER);

    private ch.qos.logback.classic.Level level;

    @BeforeEach
    void listen() {
        level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO); // as the baton command's logback.xml sets it
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(lines);
        logger.setLevel(level);
        rig.close();
    }

    private List<String> said() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aSignInAMigrationInAndOutARefusalAndAnEndAreOneLineEachWithTheHashNeverTheId() {
        Gateway a = rig.gateway("a", GatewayKind.REMOTE_ACCESS, "corp", true);
        Gateway b = rig.gateway("b", GatewayKind.REMOTE_ACCESS, "corp", true);
        TestAgent alice = new TestAgent();
        String id = alice.signIn(a, "alice", "secret");
        SessionIdHash hash = SessionId.hashOf(id);
        alice.connect(b);
        assertThatThrownBy(() -> GatewayTest.signIn(a, "alice", "wrong")).satisfies(e -> assertThat(GatewayTest.codeOf(e)).isEqualTo(ResultCode.AUTHENTICATION_FAILED));
        rig.now.set(GatewayTest.T0.plus(Duration.ofHours(1)));
        assertThatThrownBy(() -> alice.access(b)).satisfies(e -> assertThat(GatewayTest.codeOf(e)).isEqualTo(ResultCode.SESSION_EXPIRED));

        String h = hash.abbreviated();
        assertThat(said()).filteredOn(l -> l.startsWith("sign-in: alice at a (realm users, session " + h)).hasSize(1);
        assertThat(said()).filteredOn(l -> l.startsWith("migration in: session " + h + " of alice to b")).hasSize(1);
        assertThat(said()).filteredOn(l -> l.equals("migration out: session " + h + " moved from a to b")).hasSize(1);
        assertThat(said()).filteredOn(l -> l.startsWith("sign-in refused: alice at a (realm users, from in-process): "
                + "AUTHENTICATION_FAILED: wrong username or password")).hasSize(1);
        assertThat(said()).filteredOn(l -> l.startsWith("session end: session " + h + " of alice on b: ")).hasSize(1);
        assertThat(said()).isNotEmpty().noneMatch(l -> l.contains(id));
        assertThat(lines.list).allMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO);
    }

    @Test
    void aFloodIsWrittenAtMostTheLimitASecondAndSummedUpOnce() {
        AtomicReference<Instant> at = new AtomicReference<>(Instant.parse("2026-12-02T10:00:00.250Z"));
        EventLog log = new EventLog(logger, "gw", at::get);
        for (int i = 0; i < 5_000; i++) {
            log.info(i % 2 == 0 ? EventLog.Kind.SIGN_IN : EventLog.Kind.MIGRATION_IN, "event {}", i);
        }
        assertThat(said()).hasSize(EventLog.LINES_PER_SECOND).allMatch(l -> l.startsWith("event "));

        at.set(at.get().plus(Duration.ofSeconds(5)));
        log.flush();
        assertThat(said()).as("no summary before the interval").hasSize(EventLog.LINES_PER_SECOND);

        at.set(at.get().plus(EventLog.SUMMARY_INTERVAL));
        log.flush();
        log.flush();
        assertThat(said()).hasSize(EventLog.LINES_PER_SECOND + 1);
        assertThat(said().getLast()).isEqualTo("gateway gw: 4980 events since 2026-12-02T10:00:00.250Z not logged one by one"
                + " (rate limit 20 lines/s): 2490 sign-ins, 2490 migrations in");

        log.info(EventLog.Kind.REFUSAL, "a line{}", " with\na break");
        assertThat(said().getLast()).as("a new second writes again, control characters replaced").isEqualTo("a line with?a break");
    }
}
