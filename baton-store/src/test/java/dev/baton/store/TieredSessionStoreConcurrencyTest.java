package dev.baton.store;

import dev.baton.testing.ManualClock;
import dev.baton.core.SessionIdHash;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static dev.baton.store.TestSessions.session;
import static dev.baton.store.TestSessions.touched;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads sign in, touch and sign out while the store goes down and comes back; afterwards the store
 * must hold exactly what memory holds, each session in its latest state: nothing acknowledged is lost,
 * nothing removed comes back.
 */
class TieredSessionStoreConcurrencyTest {
    @Test
    void storeEndsEqualToMemoryAfterConcurrentChangesAcrossOutages() throws Exception {
        ManualClock clock = new ManualClock();
        MemorySessionStore backing = new MemorySessionStore();
        FlakyStore store = new FlakyStore(backing);
        TieredStoreSettings settings = TieredStoreSettings.DEFAULTS.withTiming(Duration.ofMillis(200), Duration.ofMillis(5));
        Map<SessionIdHash, StoredSession> expected = new ConcurrentHashMap<>();
        try (TieredSessionStore tiered = new TieredSessionStore(store, settings, "gw-a", clock, new SimpleMeterRegistry());
             ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(threads.submit(() -> churn(tiered, clock, expected, thread)));
            }
            for (int flap = 0; flap < 10; flap++) {
                store.down(flap % 2 == 0);
                Thread.sleep(20);
            }
            store.down(false);
            for (Future<?> f : work) {
                f.get();
            }
            tiered.flushActivity();
            assertThat(tiered.awaitWritten(Duration.ofSeconds(20))).isTrue();
            assertThat(backing.countExpired(TimestampColumn.EXPIRY_TIME, java.time.Instant.MAX)).isEqualTo(expected.size());
            expected.forEach((hash, s) -> {
                assertThat(backing.load(hash)).contains(s);
                assertThat(tiered.get(hash)).contains(s);
            });
        }
    }

    /** Each thread works on its own sessions, so its last action on each is the expected final state. */
    private static void churn(TieredSessionStore tiered, ManualClock clock, Map<SessionIdHash, StoredSession> expected, int thread) {
        List<StoredSession> mine = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 300; i++) {
            int action = random.nextInt(10);
            if (mine.isEmpty() || action < 4) {
                StoredSession s = session("t" + thread + "-" + i, "gw-a", clock.instant(), Duration.ofHours(1));
                tiered.put(s);
                mine.add(s);
                expected.put(s.session().hash(), s);
            } else if (action < 8) {
                int k = random.nextInt(mine.size());
                StoredSession s = touched(mine.get(k), clock.instant().plusMillis(i), Duration.ofHours(1));
                tiered.touch(s);
                mine.set(k, s);
                expected.put(s.session().hash(), s);
            } else {
                StoredSession s = mine.remove(random.nextInt(mine.size()));
                tiered.remove(s.session().hash());
                expected.remove(s.session().hash());
            }
        }
    }
}
