package dev.baton.store;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Documented defaults and errors that name the offending key. */
class SettingsTest {
    @Test
    void cleanupDefaultsAreTheDocumentedOnes() {
        CleanupSettings d = CleanupSettings.from(Map.of());
        assertThat(d).isEqualTo(CleanupSettings.DEFAULTS);
        assertThat(d.intervalMillis()).isEqualTo(86_400_000L);
        assertThat(d.batchSize()).isEqualTo(500);
        assertThat(d.column()).isEqualTo(TimestampColumn.EXPIRY_TIME);
        assertThat(d.offsetMinutes()).isEqualTo(10);
        assertThat(d.consoleNode()).isFalse();
    }

    @Test
    void cleanupSettingsAreReadFromOperatorKeys() {
        CleanupSettings s = CleanupSettings.from(Map.of("store.cleanup.interval-ms", "3600000",
                "store.cleanup.batch-size", "2000", "store.cleanup.timestamp-column", "last_activity_time",
                "store.cleanup.offset-minutes", "30,240", "store.cleanup.console-node", "true"));
        assertThat(s.intervalMillis()).isEqualTo(3_600_000L);
        assertThat(s.batchSize()).isEqualTo(2000);
        assertThat(s.column()).isEqualTo(TimestampColumn.LAST_ACTIVITY_TIME);
        assertThat(s.offsetMinutes()).isEqualTo(30_240);
        assertThat(s.scheduled()).isTrue();
    }

    @Test
    void badCleanupValuesNameTheirKey() {
        assertConfigError(() -> CleanupSettings.from(Map.of("store.cleanup.batch-size", "0")), "store.cleanup.batch-size");
        assertConfigError(() -> CleanupSettings.from(Map.of("store.cleanup.interval-ms", "-1")), "store.cleanup.interval-ms");
        assertConfigError(() -> CleanupSettings.from(Map.of("store.cleanup.offset-minutes", "ten")), "store.cleanup.offset-minutes");
        assertConfigError(() -> CleanupSettings.from(Map.of("store.cleanup.timestamp-column", "start_time")), "expiry_time or last_activity_time");
    }

    @Test
    void tieredDefaultsAndKeys() {
        assertThat(TieredStoreSettings.from(Map.of())).isEqualTo(TieredStoreSettings.DEFAULTS);
        TieredStoreSettings s = TieredStoreSettings.from(Map.of("store.activity-write-interval-ms", "15000",
                "store.fail-closed", "true", "store.max-queued-writes", "10"));
        assertThat(s.activityWriteInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.failClosed()).isTrue();
        assertThat(s.maxQueuedWrites()).isEqualTo(10);
        assertConfigError(() -> TieredStoreSettings.from(Map.of("store.activity-write-interval-ms", "0")), "store.activity-write-interval-ms");
        assertConfigError(() -> TieredStoreSettings.from(Map.of("store.max-queued-writes", "x")), "store.max-queued-writes");
    }

    private static void assertConfigError(Runnable r, String text) {
        assertThatThrownBy(r::run).isInstanceOf(BatonException.class).hasMessageContaining(text)
                .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.CONFIGURATION));
    }
}
