package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.Agent;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.admission.AdmissionSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password guessing against one account over HTTPS: after the free failures each try must wait longer, then the
 * account is locked for a while, even for the right password; another account is not affected; time (injected)
 * ends the lock. Fails if guesses go on unthrottled.
 */
class PasswordGuessingAttackTest {
    @TempDir
    Path dir;

    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);
    private final InstantSource clock = () -> Clock.systemUTC().instant().plus(ahead.get());

    private void later(Duration d) {
        ahead.set(ahead.get().plus(d));
    }

    private static ResultCode signIn(GatewayNode node, String user, String password) {
        try {
            new Agent(null, Map.of()).signIn(AttackRig.endpoint(node), "users", user, password);
            return null;
        } catch (BatonException e) {
            return e.code();
        }
    }

    @Test
    void guessesAreDelayedMoreAndMoreThenTheAccountIsLockedForAWhile() {
        AdmissionSettings throttle = new AdmissionSettings(1, 8, Duration.ofSeconds(2), 3, 50, Duration.ofSeconds(2),
                Duration.ofSeconds(30), 4, Duration.ofMinutes(15), 1_000);
        try (AttackRig rig = new AttackRig(dir, clock)) {
            GatewayNode a = rig.gateway("gw-a", new LocalAccounts(1024, 1), throttle, 0);
            for (int i = 0; i < 3; i++) {
                assertThat(signIn(a, "alice", "guess" + i)).as("free failure " + i).isEqualTo(ResultCode.AUTHENTICATION_FAILED);
            }
            assertThat(signIn(a, "alice", "guess3")).isEqualTo(ResultCode.AUTHENTICATION_FAILED); // now 2 s to wait
            assertThat(signIn(a, "alice", "guess4")).as("at once: throttled").isEqualTo(ResultCode.THROTTLED);
            assertThat(signIn(a, "alice", AttackRig.PASSWORD)).as("even the right password waits").isEqualTo(ResultCode.THROTTLED);
            assertThat(signIn(a, "bob", AttackRig.PASSWORD)).as("another account is not affected").isNull();
            later(Duration.ofSeconds(3));
            assertThat(signIn(a, "alice", "guess5")).isEqualTo(ResultCode.AUTHENTICATION_FAILED); // 4 s to wait
            later(Duration.ofSeconds(3));
            assertThat(signIn(a, "alice", "guess6")).as("the delay doubled").isEqualTo(ResultCode.THROTTLED);
            later(Duration.ofSeconds(2));
            assertThat(signIn(a, "alice", "guess7")).isEqualTo(ResultCode.AUTHENTICATION_FAILED); // 8 s
            later(Duration.ofSeconds(9));
            assertThat(signIn(a, "alice", "guess8")).isEqualTo(ResultCode.AUTHENTICATION_FAILED); // 4th extra: locked
            later(Duration.ofMinutes(5));
            assertThat(signIn(a, "alice", AttackRig.PASSWORD)).as("locked").isEqualTo(ResultCode.THROTTLED);
            later(Duration.ofMinutes(11));
            assertThat(signIn(a, "alice", AttackRig.PASSWORD)).as("the lock ended").isNull();
            assertThat(signIn(a, "alice", "guess9")).as("a success cleared the count").isEqualTo(ResultCode.AUTHENTICATION_FAILED);
            assertThat(signIn(a, "alice", AttackRig.PASSWORD)).isNull();
        }
    }

    @Test
    void oneAddressGuessingManyAccountsIsThrottledToo() {
        AdmissionSettings throttle = new AdmissionSettings(1, 8, Duration.ofSeconds(2), 100, 5, Duration.ofSeconds(10),
                Duration.ofSeconds(60), 10, Duration.ofMinutes(15), 1_000);
        try (AttackRig rig = new AttackRig(dir, clock)) {
            GatewayNode a = rig.gateway("gw-a", new LocalAccounts(1024, 1), throttle, 0);
            for (int i = 0; i < 6; i++) {
                assertThat(signIn(a, "user" + i, "guess")).isEqualTo(ResultCode.AUTHENTICATION_FAILED);
            }
            assertThatThrownBy(() -> new Agent(null, Map.of()).signIn(AttackRig.endpoint(a), "users", "user7", "guess"))
                    .isInstanceOfSatisfying(BatonException.class, e -> {
                        assertThat(e.code()).isEqualTo(ResultCode.THROTTLED);
                        assertThat(e.getMessage()).contains("this address").contains("try again in");
                    });
        }
    }
}
