package dev.baton.store.jdbc;

import dev.baton.store.StoredSession;
import dev.baton.store.TestSessions;
import dev.baton.store.TieredSessionStore;
import dev.baton.store.TieredStoreSettings;
import dev.baton.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real PostgreSQL cluster is stopped under a gateway and started again: sign-ins, resumes and sign-outs go on
 * from memory, writes queue, the metrics show it, and once the database is back every queued write is in it.
 */
class StorageOutageTest {
    private static final Duration IDLE = Duration.ofMinutes(30);

    @Test
    void gatewayKeepsWorkingWhileThePostgresServerIsDownAndCatchesUpAfterwards() throws Exception {
        ManualClock clock = new ManualClock();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (ThrowawayPostgres pg = new ThrowawayPostgres()) {
            pg.start();
            JdbcStoreConfig config = new JdbcStoreConfig(pg.url(), "", "", "baton_", 4, Duration.ofMillis(500), "");
            TieredStoreSettings settings = TieredStoreSettings.DEFAULTS.withTiming(Duration.ofSeconds(1), Duration.ofMillis(100));
            try (JdbcSessionStore store = JdbcSessionStore.open(config);
                 TieredSessionStore gateway = new TieredSessionStore(store, settings, "gw-a", clock, metrics)) {
                StoredSession early = TestSessions.session("alice", "gw-a", clock.instant(), IDLE);
                gateway.put(early);
                assertThat(store.load(early.session().hash())).contains(early);

                pg.stop();
                StoredSession during = TestSessions.session("bob", "gw-a", clock.instant(), IDLE);
                gateway.put(during);
                StoredSession role = new StoredSession(during.session().withRoles(Set.of("remediation"), true), during.expiryTime());
                gateway.put(role);
                gateway.remove(early.session().hash());
                clock.advance(Duration.ofMinutes(1));
                StoredSession active = TestSessions.touched(role, clock.instant(), IDLE);
                gateway.touch(active);
                gateway.flushActivity();
                assertThat(gateway.get(during.session().hash())).as("resume from memory").contains(active);
                assertThat(gateway.storeAvailable()).isFalse();
                assertThat(metrics.get("baton.store.available").gauge().value()).isZero();
                assertThat(gateway.queuedWrites()).isPositive();

                pg.start();
                await().atMost(Duration.ofSeconds(30)).until(gateway::storeAvailable);
                assertThat(gateway.awaitWritten(Duration.ofSeconds(30))).isTrue();
                assertThat(metrics.get("baton.store.write.queue").gauge().value()).isZero();
                assertThat(store.load(early.session().hash())).as("sign-out applied").isEmpty();
                assertThat(store.load(during.session().hash())).as("latest state, in order").contains(active);
            }
        }
    }
}
