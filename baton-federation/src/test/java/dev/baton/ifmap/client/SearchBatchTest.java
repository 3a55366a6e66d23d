package dev.baton.ifmap.client;

import dev.baton.ifmap.model.PollResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ifmap.model.Identifier;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.ifmap.server.TestServers;
import dev.baton.ifmap.xml.RequestParser;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Baton's searchBatch extension: several searches in one request, answered in order, each on its own. */
class SearchBatchTest {
    private static final String CAPABILITY = "<meta:capability ifmap-cardinality=\"multiValue\"><name>%s</name></meta:capability>";

    @TempDir
    Path dir;
    IfmapServer server;
    IfmapClient client;

    @BeforeEach
    void start() {
        server = TestServers.builder(dir).inMemoryOnly().build().start();
        client = new IfmapClient(URI.create(server.url()), "alice", TestServers.USERS.get("alice"),
                TestServers.sslContext(server.certificate()), Duration.ofSeconds(10), Duration.ofSeconds(10));
        client.newSession(0);
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop();
    }

    @Test
    void answersEverySearchInOrderAndAFailedOneInItsPlace() {
        Identifier x = Identifier.accessRequest("x");
        Identifier y = Identifier.accessRequest("y");
        client.publish(new Publish().update(Item.of(x), false, CAPABILITY.formatted("cx"))
                .update(Item.of(y), false, CAPABILITY.formatted("cy1"), CAPABILITY.formatted("cy2")));

        List<PollResult> results = client.searchBatch(List.of(SearchQuery.of(y), SearchQuery.of(Identifier.accessRequest("none")),
                new SearchQuery(y, 0, null, null, 10), SearchQuery.of(x)));

        assertThat(results).extracting(PollResult::kind, PollResult::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple("searchResult", "0"), org.assertj.core.groups.Tuple.tuple("searchResult", "1"),
                org.assertj.core.groups.Tuple.tuple("errorResult", "2"), org.assertj.core.groups.Tuple.tuple("searchResult", "3"));
        assertThat(names(results.get(0))).containsExactlyInAnyOrder("cy1", "cy2");
        assertThat(names(results.get(1))).isEmpty();
        assertThat(results.get(2).error()).isEqualTo(IfmapError.SearchResultsTooBig);
        assertThat(names(results.get(3))).containsExactly("cx");
        // The same answers as one search each.
        assertThat(names(new PollResult("searchResult", "", client.search(SearchQuery.of(y)), null, "")))
                .containsExactlyInAnyOrderElementsOf(names(results.get(0)));
    }

    @Test
    void refusesABatchLargerThanItsBound() {
        List<SearchQuery> tooMany = new ArrayList<>();
        for (int i = 0; i <= RequestParser.MAX_BATCHED_SEARCHES; i++) {
            tooMany.add(SearchQuery.of(Identifier.accessRequest("a" + i)));
        }
        assertThatThrownBy(() -> client.searchBatch(tooMany)).isInstanceOfSatisfying(IfmapException.class,
                e -> assertThat(e.getMessage()).contains("more than " + RequestParser.MAX_BATCHED_SEARCHES));
    }

    private static List<String> names(PollResult r) {
        return r.items().stream().flatMap(i -> i.metadata().stream()).map(m -> m.child("name")).toList();
    }
}
