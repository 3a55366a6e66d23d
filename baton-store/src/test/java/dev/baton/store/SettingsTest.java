package dev.baton.store;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.config.ConfigNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Documented defaults and errors that name the offending key. */
class SettingsTest {
    @Test
    void cleanupDefaultsAreTheDocumentedOnes() {
        CleanupSettings d = CleanupSettings.from(cleanup(Map.of()));
        assertThat(d).isEqualTo(CleanupSettings.DEFAULTS);
        assertThat(d.intervalMillis()).isEqualTo(86_400_000L);
        assertThat(d.batchSize()).isEqualTo(500);
        assertThat(d.column()).isEqualTo(TimestampColumn.EXPIRY_TIME);
        assertThat(d.offsetMinutes()).isEqualTo(10);
        assertThat(d.consoleNode()).isFalse();
        assertThat(CleanupSettings.from(new ConfigNode(null, "storage.cleanup"))).isEqualTo(CleanupSettings.DEFAULTS);
    }

    @Test
    void cleanupSettingsAreReadFromOperatorKeys() {
        CleanupSettings s = CleanupSettings.from(cleanup(Map.of("interval-ms", 3_600_000, "batch-size", "2000",
                "timestamp-column", "last_activity_time", "offset-minutes", "30_240", "console-node", true,
                "lease-seconds", 60)));
        assertThat(s.intervalMillis()).isEqualTo(3_600_000L);
        assertThat(s.batchSize()).isEqualTo(2000);
        assertThat(s.column()).isEqualTo(TimestampColumn.LAST_ACTIVITY_TIME);
        assertThat(s.offsetMinutes()).isEqualTo(30_240);
        assertThat(s.scheduled()).isTrue();
        assertThat(s.lease()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void badCleanupValuesNameTheirKeyPath() {
        assertConfigError(() -> CleanupSettings.from(cleanup(Map.of("batch-size", 0))),
                "storage.cleanup.batch-size: must be between 1 and 100000, got 0");
        assertConfigError(() -> CleanupSettings.from(cleanup(Map.of("interval-ms", -1))), "storage.cleanup.interval-ms: must be 0");
        assertConfigError(() -> CleanupSettings.from(cleanup(Map.of("offset-minutes", "ten"))),
                "storage.cleanup.offset-minutes: must be a whole number, got 'ten'");
        assertConfigError(() -> CleanupSettings.from(cleanup(Map.of("timestamp-column", "start_time"))),
                "storage.cleanup.timestamp-column: timestamp column must be expiry_time or last_activity_time");
        assertConfigError(() -> CleanupSettings.from(cleanup(Map.of("console-node", "maybe"))), "storage.cleanup.console-node: must be true or false");
        assertConfigError(() -> CleanupSettings.from(cleanup(Map.of("interval", 5))), "storage.cleanup.interval: is not a known key here");
    }

    @Test
    void tieredDefaultsAndKeys() {
        assertThat(TieredStoreSettings.from(tier(Map.of()))).isEqualTo(TieredStoreSettings.DEFAULTS);
        TieredStoreSettings s = TieredStoreSettings.from(tier(Map.of("activity-write-interval-ms", 15_000,
                "fail-closed", true, "max-queued-writes", 10)));
        assertThat(s.activityWriteInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.failClosed()).isTrue();
        assertThat(s.maxQueuedWrites()).isEqualTo(10);
        assertConfigError(() -> TieredStoreSettings.from(tier(Map.of("activity-write-interval-ms", 0))),
                "storage.tier.activity-write-interval-ms: must be positive");
        assertConfigError(() -> TieredStoreSettings.from(tier(Map.of("max-queued-writes", "x"))),
                "storage.tier.max-queued-writes: must be a whole number, got 'x'");
        assertConfigError(() -> TieredStoreSettings.from(tier(Map.of("max-queued-writes", 0))),
                "storage.tier.max-queued-writes: must be positive, got 0");
    }

    /** Each key is read: a value other than the default comes through, so an ignored key would fail here. */
    @Test
    void everyTierKeyIsRead() {
        TieredStoreSettings s = TieredStoreSettings.from(tier(Map.of("activity-write-interval-ms", 1234,
                "max-queued-writes", 777, "fail-closed", "true", "write-timeout-ms", 3456, "write-batch-size", 99,
                "writer-threads", 3, "retry-backoff-ms", 42, "preload", "yes")));
        assertThat(s).isEqualTo(new TieredStoreSettings(Duration.ofMillis(1234), 777, true, Duration.ofMillis(3456), 99, 3,
                Duration.ofMillis(42), true));
        assertThat(TieredStoreSettings.KEYS).hasSize(8);
    }

    @Test
    void unknownTierKeysAreRefused() {
        assertConfigError(() -> TieredStoreSettings.from(tier(Map.of("activity-write-interval", "30s"))),
                "storage.tier.activity-write-interval: is not a known key here; known keys: activity-write-interval-ms,");
    }

    private static ConfigNode cleanup(Map<String, ?> keys) {
        return new ConfigNode(keys, "storage.cleanup");
    }

    private static ConfigNode tier(Map<String, ?> keys) {
        return new ConfigNode(keys, "storage.tier");
    }

    private static void assertConfigError(Runnable r, String text) {
        assertThatThrownBy(r::run).isInstanceOf(BatonException.class).hasMessageContaining(text)
                .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.CONFIGURATION));
    }
}
