package dev.baton.ifmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupSenderTest {
    /** Answers n with 2n, and n divisible by 7 with a failure; records the largest group. */
    static final class Doubler extends GroupSender<Integer> {
        final AtomicInteger largest = new AtomicInteger();
        final AtomicInteger groups = new AtomicInteger();

        Doubler() {
            super(16);
        }

        @Override
        protected void sendGroup(List<Pending<Integer>> group) {
            groups.incrementAndGet();
            largest.accumulateAndGet(group.size(), Math::max);
            assertThat(group.size()).isLessThanOrEqualTo(16);
            Thread.yield(); // a round trip's worth of time for others to queue up
            for (Pending<Integer> p : group) {
                complete(p, p.request % 7 == 0 ? new IllegalArgumentException("no " + p.request) : (Object) (2 * p.request));
            }
        }
    }

    @Test
    void everyCallerGetsItsOwnOutcomeAndCallersArrivingTogetherShareGroups() throws Exception {
        Doubler sender = new Doubler();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int base = t * 1_000;
                callers.add(pool.submit(() -> {
                    for (int n = base; n < base + 1_000; n++) {
                        int request = n;
                        if (request % 7 == 0) {
                            assertThatThrownBy(() -> sender.send(request)).isInstanceOf(IllegalArgumentException.class)
                                    .hasMessage("no " + request);
                        } else {
                            assertThat(sender.send(request)).isEqualTo(2 * request);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : callers) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(sender.largest.get()).isGreaterThan(1);
        assertThat(sender.groups.get()).isLessThan(32_000);
    }

    @Test
    void aGroupHeldUpDoesNotHoldUpTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        GroupSender<String> sender = new GroupSender<>(16) {
            @Override
            protected void sendGroup(List<Pending<String>> group) {
                for (Pending<String> p : group) {
                    if (p.request.equals("stuck")) {
                        held.countDown();
                        try {
                            release.await(); // a request on a connection that stopped answering
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    complete(p, p.request + " sent");
                }
            }
        };
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Object> stuck = pool.submit(() -> sender.send("stuck"));
            try {
                assertThat(held.await(5, TimeUnit.SECONDS)).isTrue(); // the stuck group is on its way
                for (int i = 0; i < 20; i++) {
                    String request = "r" + i;
                    assertThat(pool.submit(() -> sender.send(request)).get(5, TimeUnit.SECONDS)).isEqualTo(request + " sent");
                }
                assertThat(stuck.isDone()).isFalse();
            } finally {
                release.countDown(); // also when an assertion failed, or closing the pool would wait for ever
            }
            assertThat(stuck.get(5, TimeUnit.SECONDS)).isEqualTo("stuck sent");
        }
    }
}
