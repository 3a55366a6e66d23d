package dev.baton.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The timer that aborts overdue requests (real time: it guards sockets, not session logic). */
class DeadlinesTest {

    @Test
    void anOverdueRequestIsAbortedOnceSoonAfterItsLimit() throws Exception {
        CountDownLatch aborted = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        long start = System.nanoTime();
        Deadlines.Watch w = Deadlines.watch(Duration.ofMillis(60), () -> {
            calls.incrementAndGet();
            aborted.countDown();
        });
        assertThat(aborted.await(5, TimeUnit.SECONDS)).isTrue();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMillis).isGreaterThanOrEqualTo(60);
        assertThat(w.fired()).isTrue();
        Thread.sleep(3 * Deadlines.TICK_MILLIS);
        assertThat(calls).hasValue(1);
        w.close(); // closing a fired watch is harmless
    }

    @Test
    void aRequestDoneInTimeIsNeverAbortedAndLeavesNothingBehind() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        int before = Deadlines.watched();
        try (Deadlines.Watch w = Deadlines.watch(Duration.ofMillis(40), calls::incrementAndGet)) {
            assertThat(w.fired()).isFalse();
            assertThat(Deadlines.watched()).isEqualTo(before + 1);
        }
        assertThat(Deadlines.watched()).isEqualTo(before);
        Thread.sleep(40 + 4 * Deadlines.TICK_MILLIS);
        assertThat(calls).hasValue(0);
    }

    @Test
    void aFailingAbortDoesNotStopTheTimer() throws Exception {
        Deadlines.watch(Duration.ofMillis(10), () -> {
            throw new IllegalStateException("abort failed");
        });
        CountDownLatch later = new CountDownLatch(1);
        Deadlines.watch(Duration.ofMillis(50), later::countDown);
        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anAbortThatThrowsEvenAnErrorLeavesTheTimerKeepingEveryOtherLimit() throws Exception {
        Deadlines.watch(Duration.ofMillis(1), () -> {
            throw new StackOverflowError("an abort gone wrong");
        });
        Thread.sleep(5 * Deadlines.TICK_MILLIS);
        CountDownLatch aborted = new CountDownLatch(1);
        Deadlines.Watch later = Deadlines.watch(Duration.ofMillis(1), aborted::countDown);
        assertThat(aborted.await(2, TimeUnit.SECONDS)).as("a later request is still aborted on time").isTrue();
        assertThat(later.fired()).isTrue();
    }
}
