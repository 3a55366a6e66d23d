package dev.baton.store.ldap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThrottleTest {
    /** A ticker whose sleeps move its time exactly; records when each acquire returned. */
    static final class FakeTicker implements Throttle.Ticker {
        long now = 1_000_000_000L;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
        }
    }

    private final FakeTicker ticker = new FakeTicker();

    private List<Long> acquireTimes(Throttle throttle, int n) throws InterruptedException {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            throttle.acquire();
            times.add(ticker.now);
        }
        return times;
    }

    @Test
    void spacesOperationsEvenlyAtOneOverTheRate() throws InterruptedException {
        long start = ticker.now;
        List<Long> times = acquireTimes(new Throttle(100, ticker), 5);

        assertThat(times).containsExactly(start, start + 10_000_000, start + 20_000_000, start + 30_000_000, start + 40_000_000);
    }

    @Test
    void aRestartedScheduleOwesNothingSoNoBurstFollowsIdleTime() throws InterruptedException {
        Throttle throttle = new Throttle(100, ticker);
        throttle.acquire();
        ticker.now += 10_000_000_000L; // ten idle seconds between passes
        throttle.restart();
        long resumed = ticker.now;

        assertThat(acquireTimes(throttle, 3)).containsExactly(resumed, resumed + 10_000_000, resumed + 20_000_000);
    }

    @Test
    void lateCallersCatchUpForAtMostOneHundredMilliseconds() throws InterruptedException {
        Throttle throttle = new Throttle(100, ticker);
        throttle.acquire();
        ticker.now += 1_000_000_000L; // a one-second stall in the middle of a pass
        long resumed = ticker.now;

        List<Long> times = acquireTimes(throttle, 13);

        // 100 ms of lateness is made up at once (10 slots plus the one due now), then the schedule again
        assertThat(times.subList(0, 11)).containsOnly(resumed);
        assertThat(times.subList(11, 13)).containsExactly(resumed + 10_000_000, resumed + 20_000_000);
    }

    @Test
    void atLowRatesTheCatchUpIsOneInterval() throws InterruptedException {
        Throttle throttle = new Throttle(2, ticker);
        throttle.acquire();
        ticker.now += 10_000_000_000L;
        long resumed = ticker.now;

        assertThat(acquireTimes(throttle, 3)).containsExactly(resumed, resumed, resumed + 500_000_000);
    }

    @Test
    void keepsTheScheduleWhenTheCallerIsSlightlyLate() throws InterruptedException {
        Throttle throttle = new Throttle(100, ticker);
        long start = ticker.now;
        throttle.acquire();
        ticker.now += 3_000_000; // the operation itself took 3 ms
        throttle.acquire();
        ticker.now += 25_000_000; // this one took longer than two slots: it catches up without waiting
        throttle.acquire();
        throttle.acquire();
        throttle.acquire();

        assertThat(ticker.now).isEqualTo(start + 40_000_000);
    }

    @Test
    void unlimitedNeverWaits() throws InterruptedException {
        long start = ticker.now;
        acquireTimes(new Throttle(0, ticker), 1000);
        assertThat(ticker.now).isEqualTo(start);
    }

    @Test
    void aNegativeRateIsRefused() {
        assertThatThrownBy(() -> new Throttle(-1, ticker)).isInstanceOf(IllegalArgumentException.class);
    }
}
