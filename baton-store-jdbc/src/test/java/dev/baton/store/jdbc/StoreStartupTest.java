package dev.baton.store.jdbc;

import dev.baton.core.SessionId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression: an H2 gateway started on a busy machine stopped after the pool's 2-second connection timeout while its
 * database was still opening. The start-up now waits longer than a request does.
 */
public class StoreStartupTest {
    @TempDir
    Path dir;

    /** Called by H2 on every new connection of the slow database below. */
    public static void pause(int millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    @Test
    void aDatabaseSlowerToOpenThanARequestMayWaitStillOpensAtStart() {
        // Every connection to this database takes 2.5 s to open, longer than the 2 s a request waits for one.
        String slow = "jdbc:h2:file:" + dir.resolve("slow") + ";INIT=CREATE ALIAS IF NOT EXISTS BATON_PAUSE FOR"
                + " 'dev.baton.store.jdbc.StoreStartupTest.pause'\\;CALL BATON_PAUSE(2500)";
        JdbcStoreConfig config = JdbcStoreConfig.of(slow, "sa", "");
        assertThat(config.connectionTimeout()).isLessThan(java.time.Duration.ofMillis(2500));
        try (JdbcSessionStore store = JdbcSessionStore.open(config)) {
            assertThat(store.load(SessionId.generate().hash())).isEmpty();
        }
    }
}
