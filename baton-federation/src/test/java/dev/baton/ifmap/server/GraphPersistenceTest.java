package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Item;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The two ways a service's changes last, and that {@link MapService} goes through the one it was given: a
 * single server applies under the lock and stores forever metadata; a replica leaves its graph to the
 * follower and appends after the lock.
 */
class GraphPersistenceTest {
    private static final Item ITEM = Item.of(Identifier.accessRequest("ar-1"));
    private static final MetadataStore.Change ADDED = new MetadataStore.Change(ITEM, MetadataStoreContract.role(1, "r"), true);
    private static final Supplier<List<OwnershipRule.Claim>> NO_CLAIMS_ASKED = () -> {
        throw new AssertionError("a single server has no shared claims");
    };

    /** A store that records what it is given, or fails every write. */
    private static final class RecordingStore implements MetadataStore {
        final List<List<Change>> applied = new ArrayList<>();
        final boolean failing;

        RecordingStore(boolean failing) {
            this.failing = failing;
        }

        @Override
        public List<Stored> load() {
            return List.of(new Stored(ITEM, ADDED.metadata()));
        }

        @Override
        public synchronized void apply(List<Change> changes) {
            if (failing) {
                throw new BatonException(ResultCode.UNAVAILABLE, "disk full");
            }
            applied.add(List.copyOf(changes));
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aSingleServerAppliesAtOnceAndItsForeverMetadataIsStoredOnceAwaited() {
        RecordingStore store = new RecordingStore(false);
        List<List<GraphOp>> applied = new ArrayList<>();
        try (LocalPersistence local = new LocalPersistence(store)) {
            GraphOp op = new GraphOp.Purge("p", false);

            GraphPersistence.Pending pending = local.change(List.of(op), NO_CLAIMS_ASKED, ops -> {
                applied.add(ops);
                return List.of(ADDED);
            });
            assertThat(applied).containsExactly(List.of(op)); // under the caller's lock, before it lets go
            pending.await();

            assertThat(store.applied).containsExactly(List.of(ADDED));
            assertThat(local.load()).isEqualTo(store.load());
        }
    }

    @Test
    void aSingleServerWhoseStoreFailsAnswersSystemError() {
        try (LocalPersistence local = new LocalPersistence(new RecordingStore(true))) {
            GraphPersistence.Pending pending = local.change(List.of(), NO_CLAIMS_ASKED, ops -> List.of(ADDED));

            assertThatThrownBy(pending::await).isInstanceOfSatisfying(IfmapException.class,
                    e -> assertThat(e.error()).isEqualTo(IfmapError.SystemError))
                    .hasMessageContaining("forever metadata could not be stored: disk full");
        }
    }

    @Test
    void aSingleServerRemovesAnEndedSessionsMetadataAtOnceAndStoresNothing() {
        RecordingStore store = new RecordingStore(false);
        List<List<GraphOp>> applied = new ArrayList<>();
        GraphOp.Purge purge = new GraphOp.Purge("p", true);
        try (LocalPersistence local = new LocalPersistence(store)) {
            GraphPersistence.Pending pending = local.endSession(purge, ops -> {
                applied.add(ops);
                return List.of();
            });

            assertThat(pending).isSameAs(GraphPersistence.Pending.NONE);
            assertThat(applied).containsExactly(List.of(purge));
        }
        assertThat(store.applied).isEmpty();
    }

    @Test
    void aReplicaLeavesItsGraphToTheFollowerAndAppendsOnlyAfterTheLock() {
        // Nothing listens on port 1: the append fails, which shows it was tried.
        PostgresReplication unreachable = new PostgresReplication("jdbc:postgresql://127.0.0.1:1/test", "postgres", "",
                "ifmap_unreachable", Duration.ofHours(1), Duration.ofMinutes(1));
        ReplicatedPersistence replica = new ReplicatedPersistence(unreachable, MetadataStore.none());
        AtomicInteger claimsAsked = new AtomicInteger();
        GraphPersistence.Graph untouchable = ops -> {
            throw new AssertionError("a replica's graph changes only when its follower applies the log");
        };

        GraphPersistence.Pending pending = replica.change(List.of(new GraphOp.Purge("p", false)), () -> {
            claimsAsked.incrementAndGet();
            return List.of();
        }, untouchable);
        GraphPersistence.Pending ended = replica.endSession(new GraphOp.Purge("p", true), untouchable);

        assertThat(claimsAsked).hasValue(0);
        assertThat(replica.load()).isEmpty();
        assertThatThrownBy(pending::await).isInstanceOfSatisfying(IfmapException.class,
                e -> assertThat(e.error()).isEqualTo(IfmapError.SystemError)).hasMessageContaining("replication log");
        assertThat(claimsAsked).hasValue(1);
        assertThatThrownBy(ended::await).isInstanceOf(IfmapException.class);
    }

    @Test
    void theServiceGoesThroughThePersistenceItWasGiven() {
        List<String> calls = new ArrayList<>();
        GraphPersistence recording = new GraphPersistence() {
            @Override
            public List<MetadataStore.Stored> load() {
                calls.add("load");
                return List.of();
            }

            @Override
            public Pending change(List<GraphOp> ops, Supplier<List<OwnershipRule.Claim>> claims, Graph graph) {
                calls.add("change " + ops);
                return () -> calls.add("await change");
            }

            @Override
            public Pending endSession(GraphOp.Purge purge, Graph graph) {
                calls.add("end " + purge);
                return () -> calls.add("await end");
            }

            @Override
            public void beforeRead() {
                calls.add("beforeRead");
            }

            @Override
            public void close() {
                calls.add("close");
            }
        };
        MapService service = new MapService(InstantSource.system(), Duration.ofMinutes(3), Duration.ofMillis(10),
                100_000, u -> PublisherRights.PUBLISHER, recording, SearchLimits.DEFAULTS);
        ClientSession s = service.newSession("alice", 0);

        service.purge(s, "");
        service.end(s, "test");
        service.close();

        assertThat(calls).containsExactly("load",
                "change " + List.of(new GraphOp.Purge(s.publisherId, false)), "await change",
                "end " + new GraphOp.Purge(s.publisherId, true), "await end", "close");
    }
}
