package dev.baton.ifmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.ifmap.server.MetadataStore;
import dev.baton.ifmap.server.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A claim answered with an error may still have been applied: the federation server applies a publish in memory
 * and then fails to store it durably (here: its store refuses one write). The old owner hears of the change and
 * drops its copy either way, so a claimant that took the error at its word left the session owned by itself and
 * held by nobody; it now reads the federation's record and takes the session when the record is its claim.
 */
class AmbiguousClaimTest {
    @TempDir
    static Path dir;
    static final AtomicBoolean refuseNextWrite = new AtomicBoolean();
    static IfmapServer server;
    static FederationClient gwA;
    static FederationClient gwB;
    static final ConcurrentLinkedQueue<SessionIdHash> lostAtA = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() {
        MetadataStore refusing = new MetadataStore() {
            @Override
            public List<Stored> load() {
                return List.of();
            }

            @Override
            public void apply(List<Change> changes) {
                if (refuseNextWrite.compareAndSet(true, false)) {
                    throw new IllegalStateException("disk full (the test's store refuses this write)");
                }
            }

            @Override
            public void close() {
            }
        };
        server = TestServers.builder(dir).store(() -> refusing).build().start();
        gwA = FederationClientTest.client(server, "gw-a");
        gwB = FederationClientTest.client(server, "gw-b");
        gwA.onOwnershipLost((hash, newOwner) -> lostAtA.add(hash));
    }

    @AfterAll
    static void stop() {
        gwA.close();
        gwB.close();
        server.stop();
    }

    @Test
    void aClaimTheServerAppliedButAnsweredWithAnErrorTakesTheSession() {
        SessionIdHash hash = FederationClientTest.randomHash();
        gwA.publishSession(FederationClientTest.session(hash, "gw-a"), Set.of());
        FederatedSession seen = gwB.lookup(hash).orElseThrow();
        Session migrated = seen.asSession().migratedTo("gw-b", "Users", Set.of("staff"), false, seen.startTime());

        refuseNextWrite.set(true);
        assertThat(gwB.claim(seen, migrated, Set.of())).isTrue();

        assertThat(refuseNextWrite).as("the store refused the claim's write").isFalse();
        assertThat(gwB.owns(hash)).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> lostAtA.contains(hash));
        assertThat(gwA.lookup(hash).orElseThrow().owner()).isEqualTo("gw-b");
    }

    @Test
    void aFirstPublishTheServerAppliedButAnsweredWithAnErrorStands() {
        SessionIdHash hash = FederationClientTest.randomHash();
        refuseNextWrite.set(true);
        gwB.publishSession(FederationClientTest.session(hash, "gw-b"), Set.of());

        assertThat(refuseNextWrite).as("the store refused the publish's write").isFalse();
        assertThat(gwB.owns(hash)).isTrue();
        FederatedSession found = gwA.lookup(hash).orElseThrow();
        assertThat(found.owner()).isEqualTo("gw-b");
        assertThat(found.generation()).isEqualTo(1);
    }

    @Test
    void aClaimTheServerRefusedBeforeApplyingKeepsItsError() {
        SessionIdHash hash = FederationClientTest.randomHash();
        gwA.publishSession(FederationClientTest.session(hash, "gw-a"), Set.of());
        FederatedSession seen = gwB.lookup(hash).orElseThrow();
        // An attribute beyond the server's metadata limit: refused whole, nothing applied.
        Session tooBig = seen.asSession().migratedTo("gw-b", "Users", Set.of("x".repeat(200_000)), false, seen.startTime());

        assertThatThrownBy(() -> gwB.claim(seen, tooBig, Set.of())).isInstanceOf(IfmapException.class);
        assertThat(gwB.owns(hash)).isFalse();
        assertThat(gwA.lookup(hash).orElseThrow().owner()).isEqualTo("gw-a");
        assertThat(gwA.owns(hash)).isTrue();
    }
}
