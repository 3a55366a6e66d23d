package dev.baton.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many platform and virtual threads offer entries at once while the committer pauses at random and sometimes
 * throws half-way through a group. Callers wait in three ways: for as long as it takes, in short turns that give
 * up and come back, and not at all (offer, then lead, like a publisher that waits elsewhere). Every entry must
 * end committed exactly once or failed with the committer's exception, every caller must return, and once all
 * callers have returned nothing may be left queued: that last check and the waiters that would never be woken
 * are what the look once more after letting go of a slot is for. Callers meet after every few entries, so that
 * the test has many such last moments.
 */
class GroupCommitStressTest {
    private static final int MAX_GROUP = 8;
    private static final int PRODUCERS = 36;
    private static final int PER_PRODUCER = 300;
    private static final int PER_ROUND = 3;
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final class Item extends GroupCommit.Entry {
        final int id;
        final int producer;
        final int seq;

        Item(int producer, int seq) {
            this.id = producer * PER_PRODUCER + seq;
            this.producer = producer;
            this.seq = seq;
        }
    }

    /**
     * Pauses now and then on finding itself empty, as a leader does on its last look before letting go: callers
     * that offer meanwhile find every slot taken and leave their entries to that leader.
     */
    private static final class SlowWhenEmpty extends ConcurrentLinkedQueue<Item> {
        @Override
        public Item poll() {
            return pauseIfNull(super.poll());
        }

        @Override
        public Item peek() {
            return pauseIfNull(super.peek());
        }

        private static Item pauseIfNull(Item item) {
            if (item == null && ThreadLocalRandom.current().nextInt(4) == 0) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000));
            }
            return item;
        }
    }

    private static final class Boom extends RuntimeException {
        Boom() {
            super("committer failed", null, false, false);
        }
    }

    /** Counts commits per entry and records every broken promise (an assertion thrown here would fail the group). */
    private static final class Recorder implements GroupCommit.Committer<Item> {
        final int leaders;
        final AtomicIntegerArray commits = new AtomicIntegerArray(PRODUCERS * PER_PRODUCER);
        final AtomicIntegerArray lastSeq = new AtomicIntegerArray(PRODUCERS);
        final AtomicInteger inCommit = new AtomicInteger();
        final AtomicInteger largest = new AtomicInteger();
        final Queue<String> broken = new ConcurrentLinkedQueue<>();

        Recorder(int leaders) {
            this.leaders = leaders;
            for (int p = 0; p < PRODUCERS; p++) {
                lastSeq.set(p, -1);
            }
        }

        @Override
        public List<Item> commit(List<Item> group) {
            if (inCommit.incrementAndGet() > leaders) {
                broken.add("more than " + leaders + " groups committed at once");
            }
            try {
                largest.accumulateAndGet(group.size(), Math::max);
                if (group.size() > MAX_GROUP) {
                    broken.add("group of " + group.size());
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int r = random.nextInt(8);
                if (r == 0) {
                    LockSupport.parkNanos(random.nextLong(50_000));
                } else if (r == 1) {
                    Thread.yield();
                }
                boolean fails = random.nextInt(20) == 0;
                for (int i = 0; i < group.size(); i++) {
                    if (fails && i >= group.size() / 2) {
                        throw new Boom(); // the rest of the group fails with it
                    }
                    record(group.get(i));
                }
                return List.of();
            } finally {
                inCommit.decrementAndGet();
            }
        }

        private void record(Item item) {
            commits.incrementAndGet(item.id);
            int last = lastSeq.getAndSet(item.producer, item.seq);
            if (leaders == 1 && last >= item.seq) {
                broken.add("producer " + item.producer + ": " + item.seq + " committed after " + last);
            }
            item.complete(item.id);
        }
    }

    @ParameterizedTest(name = "{0} leader(s)")
    @ValueSource(ints = {1, 2})
    void noEntryIsLostNoWaiterSleepsForEverAndOrderAndGroupBoundHold(int leaders) throws InterruptedException {
        Recorder recorder = new Recorder(leaders);
        GroupCommit<Item> commits = new GroupCommit<>(new SlowWhenEmpty(), leaders, MAX_GROUP, e -> 1, recorder);
        List<Item> items = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            for (int s = 0; s < PER_PRODUCER; s++) {
                items.add(new Item(p, s));
            }
        }
        Queue<String> broken = recorder.broken;
        // Callers meet after each round: then nothing may be left queued. The ends of rounds are where an entry
        // left to a leader that did not look again would stay for ever.
        CyclicBarrier round = new CyclicBarrier(PRODUCERS, () -> {
            if (commits.size() != 0) {
                broken.add(commits.size() + " entries left queued once every caller of a round returned");
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            List<Item> mine = items.subList(p * PER_PRODUCER, (p + 1) * PER_PRODUCER);
            int way = p % 3;
            Runnable producer = () -> produce(commits, mine, way, round, broken);
            threads.add(p % 2 == 0 ? Thread.ofPlatform().daemon().start(producer) : Thread.ofVirtual().start(producer));
        }
        long deadline = System.nanoTime() + LIMIT_NANOS;
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        assertThat(threads).as("callers still waiting after %d s", TimeUnit.NANOSECONDS.toSeconds(LIMIT_NANOS))
                .noneMatch(Thread::isAlive);
        assertThat(commits.size()).as("entries left queued once every caller returned").isZero();
        assertThat(broken).isEmpty();
        long failed = items.stream().filter(item -> settledOnce(item, recorder)).count();
        assertThat(failed).as("entries failed by a throwing committer").isPositive();
        assertThat(recorder.largest.get()).as("largest group").isGreaterThan(1);
    }

    /** Asserts {@code item} was committed exactly once, or failed with the committer's exception; true if failed. */
    private static boolean settledOnce(Item item, Recorder recorder) {
        assertThat(item.isDone()).as("entry %d settled", item.id).isTrue();
        if (item.failure() != null) {
            assertThat(item.failure()).isInstanceOf(Boom.class);
            assertThat(recorder.commits.get(item.id)).as("commits of failed entry %d", item.id).isZero();
            return true;
        }
        assertThat(item.value()).isEqualTo(item.id);
        assertThat(recorder.commits.get(item.id)).as("commits of entry %d", item.id).isOne();
        return false;
    }

    /**
     * Offers {@code mine} in order, a few per round, and waits for each in the given way: 0 until it is settled,
     * 1 in short turns, 2 not at all.
     */
    private static void produce(GroupCommit<Item> commits, List<Item> mine, int way, CyclicBarrier round,
            Queue<String> broken) {
        try {
            for (int i = 0; i < mine.size(); i++) {
                offerAndWait(commits, mine.get(i), way, broken);
                if (i % PER_ROUND == PER_ROUND - 1) {
                    round.await(LIMIT_NANOS, TimeUnit.NANOSECONDS);
                }
            }
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            broken.add("a round did not end: " + e);
        }
    }

    private static void offerAndWait(GroupCommit<Item> commits, Item item, int way, Queue<String> broken) {
        if (!commits.offer(item)) {
            broken.add("unbounded queue refused an entry");
        }
        switch (way) {
            case 0 -> {
                if (!commits.await(item)) {
                    broken.add("await without a deadline returned unsettled");
                }
            }
            case 1 -> {
                while (!commits.await(item, 20_000)) {
                    Thread.onSpinWait(); // gave up its turn: the entry stays queued for whoever leads
                }
            }
            default -> commits.lead();
        }
        if (way != 2 && !item.isDone()) {
            broken.add("await returned before entry " + item.id + " was settled");
        }
    }
}
