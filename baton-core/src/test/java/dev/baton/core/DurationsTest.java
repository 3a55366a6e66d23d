package dev.baton.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @Test
    void readsANumberAndAUnitWithOrWithoutABlank() {
        assertThat(Durations.parse("k", "10 m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("k", "3 w")).isEqualTo(Duration.ofDays(21));
        assertThat(Durations.parse("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("k", " 2 hours ")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("k", "90 S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("k", "1 day")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("k", "0 s")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "m", "10 M", "-5 m", "ten minutes", "10 months", "1.5 h", "10 m 5 s", ""})
    void refusesAnythingElseNamingTheKeyAndTheAcceptedForm(String text) {
        assertThatThrownBy(() -> Durations.parse("store.ldap.purge.expirationOffset", text))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageContaining("store.ldap.purge.expirationOffset")
                .hasMessageContaining("\"10 m\"")
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void refusesNullLikeABadValue() {
        assertThatThrownBy(() -> Durations.parse("key", null)).isInstanceOf(BatonException.class).hasMessageContaining("key");
    }

    @Test
    void refusesAnOverflowingValue() {
        assertThatThrownBy(() -> Durations.parse("key", "999999999999 w")).hasMessageContaining("too large");
    }

    @Test
    void formatsInTheLargestExactUnitSoParsingReadsItBack() {
        for (Duration d : new Duration[]{Duration.ofDays(21), Duration.ofMinutes(10), Duration.ofSeconds(90), Duration.ofMillis(1500)}) {
            assertThat(Durations.parse("k", Durations.format(d))).isEqualTo(d);
        }
        assertThat(Durations.format(Duration.ofDays(21))).isEqualTo("3 w");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90 s");
    }
}
