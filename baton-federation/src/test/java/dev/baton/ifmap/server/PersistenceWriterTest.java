package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The group commit's promise to a publisher that finds another writing: its changes are written without anyone
 * publishing after it. A second publisher is let in at each moment the writer finds the queue empty (while it
 * still holds the lock, so the second finds it busy and leaves its changes to it); after the writer returns,
 * the second's changes must be durable. The writer used to stop once its own changes were done, so a publisher
 * let in after its last look waited for the next publish, or 30 s when none came (seen at the end of a
 * migration benchmark burst: three claims failed with SystemError after being applied in memory).
 */
class PersistenceWriterTest {
    private static final List<MetadataStore.Change> CHANGE = List.of(new MetadataStore.Change(null, null, true));

    /** A queue that runs {@code racer} from inside the {@code n}-th poll that finds it empty. */
    private static final class RacingQueue extends ConcurrentLinkedQueue<PersistenceWriter.Batch> {
        private final int n;
        private final AtomicInteger emptyPolls = new AtomicInteger();
        private volatile Runnable racer;

        RacingQueue(int n) {
            this.n = n;
        }

        @Override
        public PersistenceWriter.Batch poll() {
            PersistenceWriter.Batch b = super.poll();
            Runnable r = racer;
            if (b == null && r != null && emptyPolls.incrementAndGet() == n) {
                racer = null;
                r.run();
            }
            return b;
        }
    }

    @Test
    void aPublisherThatFindsTheWriterBusyIsWrittenWhateverMomentItArrives() throws Exception {
        int raced = 0;
        for (int n = 1; n <= 8; n++) {
            List<Integer> applied = new ArrayList<>();
            MetadataStore store = recording(applied);
            RacingQueue queue = new RacingQueue(n);
            PersistenceWriter writer = new PersistenceWriter(store, queue);
            CompletableFuture<Void> first = writer.submit(CHANGE);
            CompletableFuture<CompletableFuture<Void>> second = new CompletableFuture<>();
            queue.racer = () -> {
                Thread t = Thread.ofPlatform().start(() -> {
                    CompletableFuture<Void> mine = writer.submit(CHANGE);
                    writer.persist(); // finds the first publisher writing: leaves its change to it
                    second.complete(mine);
                });
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            writer.persist();
            assertThat(first).as("the writer's own change, racer at empty look %d", n).isDone();
            if (second.isDone()) {
                raced++;
                assertThat(second.get()).as("the change of a publisher let in at the writer's empty look %d", n).isDone();
                assertThat(applied).as("changes per transaction").hasSize(2).containsOnly(1);
            }
        }
        assertThat(raced).as("moments at which a publisher was let in").isGreaterThanOrEqualTo(2);
    }

    private static MetadataStore recording(List<Integer> applied) {
        return new MetadataStore() {
            @Override
            public List<Stored> load() {
                return List.of();
            }

            @Override
            public synchronized void apply(List<Change> changes) {
                applied.add(changes.size());
            }

            @Override
            public void close() {
            }
        };
    }
}
