package dev.baton.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.RetryLaterException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Admission control without a network: the bound on concurrent credential checks, the throttle, log safety. */
class AdmissionControlTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static final AdmissionSettings TWO_TURNS_ONE_WAITING = new AdmissionSettings(2, 1, Duration.ofMillis(200), 3, 10,
            Duration.ofSeconds(1), Duration.ofSeconds(8), 5, Duration.ofMinutes(10), 100);

    private static <T> T fail() {
        throw new BatonException(ResultCode.AUTHENTICATION_FAILED, "wrong username or password");
    }

    @Test
    void noMoreCredentialChecksRunAtOnceThanTheBoundAndTheRestAreTurnedAwayAtOnce() throws Exception {
        AdmissionControl admission = new AdmissionControl("gw", TWO_TURNS_ONE_WAITING, now::get, registry);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger overloaded = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            Future<?>[] all = new Future<?>[20];
            for (int i = 0; i < 20; i++) {
                String user = "u" + i;
                all[i] = pool.submit(() -> {
                    try {
                        return admission.signIn("r", user, "10.0.0." + user.length(), () -> {
                            most.accumulateAndGet(running.incrementAndGet(), Math::max);
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            running.decrementAndGet();
                            return "ok";
                        });
                    } catch (RetryLaterException e) {
                        assertThat(e.code()).isEqualTo(ResultCode.OVERLOADED);
                        assertThat(e.retryAfterSeconds()).isPositive();
                        overloaded.incrementAndGet();
                        return "busy";
                    }
                });
            }
            Thread.sleep(500); // every sign-in has either a turn, a place in the queue (and then timed out), or a refusal
            release.countDown();
            for (Future<?> f : all) {
                f.get();
            }
        }
        assertThat(most.get()).isEqualTo(2);
        assertThat(overloaded.get()).isEqualTo(18);
        assertThat(registry.get("baton.signin.refused").tag("reason", "overloaded").counter().count()).isEqualTo(18);
    }

    @Test
    void failuresGrowTheDelayThenLockAndASuccessClearsTheUser() {
        AdmissionControl admission = new AdmissionControl("gw", TWO_TURNS_ONE_WAITING, now::get, registry);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> admission.signIn("r", "Alice", "a", AdmissionControlTest::fail)).hasMessageContaining("wrong");
        }
        assertThatThrownBy(() -> admission.signIn("r", "alice", "b", AdmissionControlTest::fail)).hasMessageContaining("wrong");
        assertThatThrownBy(() -> admission.signIn("r", "ALICE", "c", () -> "ok")).as("names compare without case")
                .isInstanceOfSatisfying(RetryLaterException.class, e -> {
                    assertThat(e.code()).isEqualTo(ResultCode.THROTTLED);
                    assertThat(e.retryAfterSeconds()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("this account").doesNotContain("alice");
                });
        int[] waits = {2, 4, 8}; // each wait long enough for the previous delay; the new delay doubles
        for (int w : waits) {
            now.set(now.get().plusSeconds(w)); // the previous wait has passed
            assertThatThrownBy(() -> admission.signIn("r", "alice", "d", AdmissionControlTest::fail)).hasMessageContaining("wrong");
            assertThatThrownBy(() -> admission.signIn("r", "alice", "d", () -> "ok"))
                    .isInstanceOfSatisfying(RetryLaterException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(w));
        }
        now.set(now.get().plusSeconds(8));
        assertThatThrownBy(() -> admission.signIn("r", "alice", "e", AdmissionControlTest::fail)).hasMessageContaining("wrong");
        assertThatThrownBy(() -> admission.signIn("r", "alice", "e", () -> "ok"))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(600));
        assertThat(registry.get("baton.signin.locks").counter().count()).isEqualTo(1);
        assertThat(admission.signIn("other-realm", "alice", "f", () -> "ok")).as("realms are apart").isEqualTo("ok");
        now.set(now.get().plus(Duration.ofMinutes(10)));
        assertThat(admission.signIn("r", "alice", "g", () -> "ok")).isEqualTo("ok");
        assertThatThrownBy(() -> admission.signIn("r", "alice", "h", AdmissionControlTest::fail)).hasMessageContaining("wrong");
        assertThat(admission.signIn("r", "alice", "h", () -> "ok")).as("the success cleared the count").isEqualTo("ok");
    }

    @Test
    void userSuppliedTextIsMadeSafeForALogLine() {
        assertThat(LogSafe.name("alice\nINFO forged line")).isEqualTo("alice?INFO forged line");
        assertThat(LogSafe.name("a\u001b[31mred\u2028x\u202e")).isEqualTo("a?[31mred?x?");
        assertThat(LogSafe.name("x".repeat(1000))).hasSize(65).endsWith("…");
        assertThat(LogSafe.name(null)).isEqualTo("(none)");
        assertThat(LogSafe.name("josé@example.org")).isEqualTo("josé@example.org");
    }
}
