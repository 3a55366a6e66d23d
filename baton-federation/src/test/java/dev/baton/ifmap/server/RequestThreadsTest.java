package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.core.BatonException;
import dev.baton.ifmap.client.IfmapClient;
import dev.baton.ifmap.model.PollResult;
import dev.baton.ifmap.client.Publish;
import dev.baton.ifmap.client.SearchQuery;
import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.Item;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests run on a bounded pool of platform threads, where every waiting poll holds one. */
class RequestThreadsTest {
    @TempDir
    Path dir;

    @Test
    void pollsWaitingOnMostOfThePoolLeaveRoomForPublishesAndAllAreAnswered() throws Exception {
        int subscribers = 12;
        Map<String, String> users = new HashMap<>();
        for (int i = 0; i < subscribers; i++) {
            users.put("gw" + i, "pw" + i);
        }
        users.put("publisher", "pw");
        IfmapServer server = IfmapServer.builder().listen("127.0.0.1", 0).users(BasicAuthUsers.of(users)).dataDirectory(dir)
                .inMemoryOnly().maxThreads(24).pollWait(Duration.ofSeconds(20)).build().start();
        List<IfmapClient> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(subscribers)) {
            Identifier watched = Identifier.accessRequest("watched");
            List<Future<List<PollResult>>> polls = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                IfmapClient c = client(server, "gw" + i, "pw" + i);
                clients.add(c);
                c.subscribe("w", SearchQuery.of(watched));
                assertThat(c.poll()).extracting(PollResult::kind).containsExactly("searchResult");
                polls.add(pool.submit(c::poll));
            }
            Thread.sleep(300); // the polls are now waiting on the server, each holding a thread
            IfmapClient publisher = client(server, "publisher", "pw");
            clients.add(publisher);
            publisher.publish(new Publish().update(Item.of(watched), false,
                    "<meta:capability ifmap-cardinality=\"multiValue\"><name>c</name></meta:capability>"));
            for (Future<List<PollResult>> poll : polls) {
                assertThat(poll.get(10, TimeUnit.SECONDS)).extracting(PollResult::kind).containsExactly("updateResult");
            }
        } finally {
            clients.forEach(IfmapClient::close);
            server.stop();
        }
    }

    @Test
    void aPoolTooSmallToServeIsAConfigurationError() {
        assertThatThrownBy(() -> TestServers.builder(dir).maxThreads(4).build())
                .isInstanceOf(BatonException.class).hasMessageContaining("max threads must be at least 8, got 4");
    }

    private static IfmapClient client(IfmapServer server, String user, String password) {
        IfmapClient c = new IfmapClient(URI.create(server.url()), user, password, TestServers.sslContext(server.certificate()),
                Duration.ofSeconds(10), Duration.ofSeconds(30));
        c.newSession(0);
        return c;
    }
}
