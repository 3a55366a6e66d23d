package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ifmap.model.Request;
import dev.baton.ifmap.xml.RequestParser;
import dev.baton.ifmap.xml.XmlLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent publishers whose changes replace each other's: the store ends up holding exactly what the graph
 * holds, because changes are queued in the graph's order and written by whichever publisher leads.
 */
class PersistenceOrderTest {
    private static final String IFNS = "xmlns:ifmap=\"http://www.trustedcomputinggroup.org/2010/IFMAP/2\""
            + " xmlns:meta=\"http://www.trustedcomputinggroup.org/2010/IFMAP-METADATA/2\"";
    private final RequestParser parser = new RequestParser(XmlLimits.DEFAULTS, 65_536);

    @TempDir
    Path dir;

    @Test
    void publishersReplacingOneAnothersMetadataLeaveTheStoreEqualToTheGraph() throws Exception {
        MetadataStore store = JdbcMetadataStore.h2(dir.resolve("forever"));
        MapService service = new MapService(InstantSource.system(), Duration.ofMinutes(3), Duration.ofMillis(10),
                100_000, u -> PublisherRights.ADMIN, store); // replaces others' singleValue metadata
        List<ClientSession> sessions = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            sessions.add(service.newSession("publisher-" + t, 0));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (ClientSession s : sessions) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        // Every publish replaces the single value on one shared identifier and adds one of its own.
                        service.publish(s, ops("<update lifetime=\"forever\"><device><name>shared</name></device><metadata>"
                                + "<meta:device-characteristic ifmap-cardinality=\"singleValue\"><manufacturer>" + s.publisherId + "-" + i
                                + "</manufacturer><discovered-time>2026-01-01T00:00:00Z</discovered-time>"
                                + "<discoverer-id>x</discoverer-id><discovery-method>scan</discovery-method>"
                                + "</meta:device-characteristic></metadata></update>"
                                + "<update lifetime=\"forever\"><device><name>" + s.publisherId + "-" + i + "</name></device>"
                                + "<metadata><meta:capability ifmap-cardinality=\"multiValue\"><name>c</name></meta:capability>"
                                + "</metadata></update>"));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        List<Long> inGraph = service.snapshot().stream().map(st -> st.metadata().id()).toList();
        service.close();
        store.close();
        MetadataStore reopened = JdbcMetadataStore.h2(dir.resolve("forever"));
        try {
            List<Long> stored = reopened.load().stream().map(st -> st.metadata().id()).toList();
            assertThat(inGraph).hasSize(1 + 8 * 150); // one shared value left, and every publisher's own
            assertThat(stored).containsExactlyElementsOf(inGraph);
        } finally {
            reopened.close();
        }
    }

    private List<Request.PublishOp> ops(String inner) {
        Request.Publish p = (Request.Publish) parser.parse(("<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\">"
                + "<e:Body><ifmap:publish " + IFNS + " session-id=\"x\">" + inner + "</ifmap:publish></e:Body></e:Envelope>")
                .getBytes(StandardCharsets.UTF_8));
        return p.operations();
    }
}
