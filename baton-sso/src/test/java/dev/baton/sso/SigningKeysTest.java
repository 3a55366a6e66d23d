package dev.baton.sso;

import com.nimbusds.jose.jwk.JWK;
import dev.baton.core.BatonException;
import dev.baton.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Token-signing keys: kept owner-only across restarts, rotated on schedule, the old key published while its tokens live. */
class SigningKeysTest {
    static final Duration ROTATION = Duration.ofDays(30);
    static final Duration LIFETIME = Duration.ofMinutes(5);

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T09:00:00Z"));

    @Test
    void keysRotateAndTheOldKeyStaysPublishedUntilItsTokensHaveExpired() {
        Path file = dir.resolve("keys.json");
        SigningKeys keys = new SigningKeys(file, ROTATION, LIFETIME, clock);
        String first = keys.current().getKeyID();
        assertThat(keys.publicSet().getKeys()).extracting(JWK::getKeyID).containsExactly(first);
        assertThat(keys.publicSet().getKeys()).allMatch(k -> !k.isPrivate());

        clock.advance(ROTATION.minusSeconds(1));
        assertThat(keys.current().getKeyID()).isEqualTo(first);
        clock.advance(Duration.ofSeconds(1));
        String second = keys.current().getKeyID();
        assertThat(second).isNotEqualTo(first);
        assertThat(keys.publicSet().getKeys()).extracting(JWK::getKeyID).containsExactly(second, first);
        assertThat(keys.byId(first)).as("a token the old key signed a moment ago still validates").isPresent();

        clock.advance(ROTATION);
        String third = keys.current().getKeyID();
        assertThat(keys.publicSet().getKeys()).extracting(JWK::getKeyID).as("the first key's tokens expired long ago")
                .containsExactly(third, second);
        assertThat(new SigningKeys(file, ROTATION, LIFETIME, clock).current().getKeyID()).as("kept across a restart").isEqualTo(third);
    }

    @Test
    void theKeyFileIsOwnerOnlyAndAFileOthersCanReadIsRefused() throws Exception {
        Path file = dir.resolve("keys.json");
        new SigningKeys(file, ROTATION, LIFETIME, clock);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> new SigningKeys(file, ROTATION, LIFETIME, clock)).isInstanceOf(BatonException.class)
                .hasMessageContaining("chmod 600").hasMessageContaining("rw-r--r--");
    }

    @Test
    void aDamagedKeyFileIsRefusedByName() throws Exception {
        Path file = dir.resolve("keys.json");
        Files.writeString(file, "{\"keys\": [ nonsense");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> new SigningKeys(file, ROTATION, LIFETIME, clock)).isInstanceOf(BatonException.class)
                .hasMessageContaining("cannot read the signing keys in " + file);
    }
}
