package dev.baton.ifmap.server;

import dev.baton.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client session that stops talking ends after the timeout, taking its session-lifetime metadata along. */
class SessionTimeoutTest {
    @TempDir
    Path dir;

    @Test
    void idleSessionTimesOutAndItsSessionMetadataDisappearsButForeverMetadataStays() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (IfmapServer server = TestServers.builder(dir).inMemoryOnly().clock(clock)
                .sessionTimeout(Duration.ofSeconds(60)).build().start()) {
            RawSoap carol = new RawSoap(server, "carol");
            String sid = carol.newSession();
            carol.request("<ifmap:publish session-id=\"" + sid + "\"><update><access-request name=\"t1\"/><metadata>"
                    + "<meta:role ifmap-cardinality=\"multiValue\"><name>temp</name></meta:role></metadata></update>"
                    + "<update lifetime=\"forever\"><access-request name=\"t1\"/><metadata>"
                    + "<meta:role ifmap-cardinality=\"multiValue\"><name>kept</name></meta:role></metadata></update>"
                    + "</ifmap:publish>");
            clock.advance(Duration.ofSeconds(59));
            Thread.sleep(1_200); // one sweep at 59 s must not end the session
            assertThat(carol.request("<ifmap:renewSession session-id=\"" + sid + "\"/>")).contains("renewSessionResult");

            clock.advance(Duration.ofSeconds(61));
            await().atMost(Duration.ofSeconds(60)).until(() -> server.sessionCount() == 0);
            assertThat(carol.request("<ifmap:renewSession session-id=\"" + sid + "\"/>"))
                    .contains("errorCode=\"InvalidSessionID\"");
            RawSoap alice = new RawSoap(server, "alice");
            String other = alice.newSession();
            String result = alice.request("<ifmap:search session-id=\"" + other + "\"><access-request name=\"t1\"/>"
                    + "</ifmap:search>");
            assertThat(result).contains("kept").doesNotContain("temp");
        }
    }
}
