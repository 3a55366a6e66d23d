package dev.baton.ifmap.client;

import dev.baton.ifmap.model.PollResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.ifmap.server.TestServers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several subscription changes in one subscribe request, applied in order. */
class IfmapClientSubscribeTest {
    private static final String CAPABILITY = "<meta:capability ifmap-cardinality=\"multiValue\"><name>c</name></meta:capability>";

    @TempDir
    Path dir;
    IfmapServer server;
    IfmapClient publisher;
    IfmapClient subscriber;

    @BeforeEach
    void start() {
        server = TestServers.builder(dir).inMemoryOnly().pollWait(Duration.ofMillis(300)).build().start();
        publisher = client("alice");
        subscriber = client("bob");
    }

    @AfterEach
    void stop() {
        publisher.close();
        subscriber.close();
        server.stop();
    }

    private IfmapClient client(String user) {
        IfmapClient c = new IfmapClient(URI.create(server.url()), user, TestServers.USERS.get(user),
                TestServers.sslContext(server.certificate()), Duration.ofSeconds(10), Duration.ofSeconds(10));
        c.newSession(0);
        return c;
    }

    @Test
    void updatesAndDeletesInOneRequestTakeEffectInOrder() {
        Identifier x = Identifier.accessRequest("x");
        Identifier y = Identifier.accessRequest("y");
        Identifier z = Identifier.accessRequest("z");
        subscriber.subscribe(List.of(IfmapClient.SubscribeOp.update("sx", SearchQuery.of(x)),
                IfmapClient.SubscribeOp.update("sy", SearchQuery.of(y)),
                IfmapClient.SubscribeOp.delete("sx"),
                IfmapClient.SubscribeOp.update("sz", SearchQuery.of(z))));

        assertThat(subscriber.poll()).extracting(PollResult::kind, PollResult::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("searchResult", "sy"),
                        org.assertj.core.groups.Tuple.tuple("searchResult", "sz"));

        publisher.publish(new Publish().update(Item.of(x), false, CAPABILITY).update(Item.of(y), false, CAPABILITY));
        List<PollResult> changes = subscriber.poll();
        assertThat(changes).extracting(PollResult::name).containsExactly("sy");
        assertThat(changes.getFirst().kind()).isEqualTo("updateResult");
    }

    @Test
    void anEmptyListSendsNothing() {
        subscriber.subscribe(List.of());
        publisher.publish(new Publish().update(Item.of(Identifier.accessRequest("w")), false, CAPABILITY));
        assertThat(subscriber.poll()).isEmpty();
    }
}
