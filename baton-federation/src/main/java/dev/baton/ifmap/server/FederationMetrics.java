package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Request;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The federation server's meters (docs/ifmap.md): IF-MAP requests by operation and outcome
 * ({@code baton.ifmap.requests}) with their latency ({@code baton.ifmap.request.duration}, with a histogram),
 * poll results queued over all client sessions, client sessions, and the graph's size. Labels come from the
 * protocol only (the request element's name, {@code ok} or the IF-MAP error code), never from a user or a session.
 * Thread-safe.
 */
final class FederationMetrics {
    /** The operation of a body that was not an IF-MAP request at all (answered with a SOAP fault). */
    static final String MALFORMED = "malformed";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    /** Meters of {@code service} in {@code registry}. */
    FederationMetrics(MeterRegistry registry, MapService service) {
        this.registry = registry;
        Gauge.builder("baton.ifmap.poll.queued", service, MapService::queuedPollResults)
                .description("poll results waiting for their client session's next poll, over all sessions").register(registry);
        Gauge.builder("baton.ifmap.client.sessions", service, MapService::sessionCount)
                .description("live IF-MAP client sessions").register(registry);
        Gauge.builder("baton.ifmap.graph.identifiers", service, s -> s.read(MapGraph::identifierCount))
                .description("identifiers in the graph that carry metadata or end a link that does").register(registry);
        Gauge.builder("baton.ifmap.graph.metadata", service, s -> s.read(MapGraph::metadataCount))
                .description("metadata elements in the graph").register(registry);
    }

    /** Counts one request of {@code operation} answered with {@code outcome} after {@code nanos}. */
    void request(String operation, String outcome, long nanos) {
        counters.computeIfAbsent(operation + " " + outcome, k -> Counter.builder("baton.ifmap.requests")
                .description("IF-MAP requests by operation and outcome (ok or the IF-MAP error code)")
                .tag("operation", operation).tag("outcome", outcome).register(registry)).increment();
        timers.computeIfAbsent(operation, k -> Timer.builder("baton.ifmap.request.duration")
                .description("time to answer an IF-MAP request (a poll includes its wait)").tag("operation", operation)
                .publishPercentileHistogram().register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The request element's name of {@code r}, as the operation label. */
    static String operation(Request r) {
        return switch (r) {
            case Request.NewSession n -> "newSession";
            case Request.EndSession e -> "endSession";
            case Request.RenewSession e -> "renewSession";
            case Request.PurgePublisher p -> "purgePublisher";
            case Request.Publish p -> "publish";
            case Request.Search s -> "search";
            case Request.SearchBatch b -> "searchBatch";
            case Request.Subscribe s -> "subscribe";
            case Request.Poll p -> "poll";
        };
    }
}
