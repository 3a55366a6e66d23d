package dev.baton.store.ldap;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.config.ConfigNode;
import dev.baton.store.TimestampColumn;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PurgeSettingsTest {

    @Test
    void absentKeysTakeTheDocumentedDefaults() {
        PurgeSettings s = PurgeSettings.from(purge(Map.of()), "gw-1");

        assertThat(s).isEqualTo(PurgeSettings.defaults("gw-1"));
        assertThat(s.name()).isEqualTo("directory-purge");
        assertThat(s.enabled()).isTrue();
        assertThat(s.expirationOffset()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.pollingInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.deleteThreads()).isEqualTo(1);
        assertThat(s.column()).isEqualTo(TimestampColumn.EXPIRY_TIME);
        assertThat(s.livenessWindow()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void everyKeyIsRead() {
        PurgeSettings s = PurgeSettings.from(purge(Map.ofEntries(
                Map.entry("name", "nightly"),
                Map.entry("enabled", false),
                Map.entry("expirationOffset", "3 w"),
                Map.entry("pollingInterval", "30 s"),
                Map.entry("maxUpdatesPerSecond", 250),
                Map.entry("priorityIndex", "2"),
                Map.entry("deleteThreads", 4),
                Map.entry("column", "last_activity_time"),
                Map.entry("batchSize", 100),
                Map.entry("livenessIntervals", 5),
                Map.entry("nodeName", "replica-2"),
                Map.entry("heartbeatBaseDn", "ou=nodes,dc=example,dc=org"))), "gw-1");

        assertThat(s).isEqualTo(new PurgeSettings("nightly", false, Duration.ofDays(21), Duration.ofSeconds(30), 250, 2, 4,
                TimestampColumn.LAST_ACTIVITY_TIME, 100, 5, "replica-2", "ou=nodes,dc=example,dc=org"));
        assertThat(s.toString()).contains("expirationOffset=3 w", "pollingInterval=30 s");
    }

    @Test
    void badValuesFailNamingTheirKey() {
        assertRefused("deleteThreads", "0");
        assertRefused("deleteThreads", "65");
        assertRefused("priorityIndex", "-1");
        assertRefused("maxUpdatesPerSecond", "fast");
        assertRefused("expirationOffset", "ten minutes");
        assertRefused("pollingInterval", "0 s");
        assertRefused("enabled", "maybe");
        assertRefused("name", "has blanks");
        assertRefused("livenessIntervals", "1");
    }

    @Test
    void anUnknownKeyIsRefusedNamingIt() {
        assertThatThrownBy(() -> PurgeSettings.from(purge(Map.of("threads", 2)), "n"))
                .hasMessageStartingWith("storage.purge.threads: is not a known key here; known keys: batchSize,");
    }

    private static void assertRefused(String key, String value) {
        assertThatThrownBy(() -> PurgeSettings.from(purge(Map.of(key, value)), "n"))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageStartingWith("storage.purge." + key + ": ");
    }

    private static ConfigNode purge(Map<String, ?> keys) {
        return new ConfigNode(keys, "storage.purge");
    }
}
