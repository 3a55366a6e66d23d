package dev.baton.ifmap.server;

import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Request;
import dev.baton.ifmap.xml.MalformedRequestException;
import dev.baton.ifmap.xml.RequestParser;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one authenticated SOAP request body into one SOAP response: parse, dispatch to {@link MapService},
 * write. Every failure becomes an answer (an errorResult for what the standard has a code for, a SOAP
 * fault for what is not an IF-MAP request at all, a SystemError for a defect), so the server stays up.
 * Stateless and thread-safe.
 */
final class SoapEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SoapEndpoint.class);

    /** An answer: HTTP status and SOAP body. */
    record Answer(int status, String body) { }

    private final MapService service;
    private final RequestParser parser;
    private final FederationMetrics metrics;

    SoapEndpoint(MapService service, RequestParser parser) {
        this(service, parser, null);
    }

    /** An endpoint that counts its requests in {@code metrics} (may be null: not counted). */
    SoapEndpoint(MapService service, RequestParser parser, FederationMetrics metrics) {
        this.service = service;
        this.parser = parser;
        this.metrics = metrics;
    }

    /** Handles {@code body} sent by the authenticated {@code user}. */
    Answer handle(String user, byte[] body) {
        long start = System.nanoTime();
        String operation = FederationMetrics.MALFORMED;
        String outcome = "ok";
        try {
            Request request = parser.parse(body);
            operation = FederationMetrics.operation(request);
            return new Answer(200, dispatch(user, request));
        } catch (MalformedRequestException e) {
            outcome = "fault";
            return new Answer(400, ResponseWriter.fault(e.getMessage(), true));
        } catch (IfmapException e) {
            outcome = ResponseWriter.code(e.error()).name();
            return new Answer(200, ResponseWriter.error(e));
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("request of {} failed unexpectedly", user, e);
            outcome = IfmapError.SystemError.name();
            return new Answer(200, ResponseWriter.error(IfmapError.SystemError, "internal error: " + e));
        } finally {
            if (metrics != null) {
                metrics.request(operation, outcome, System.nanoTime() - start);
            }
        }
    }

    private String dispatch(String user, Request request) {
        if (request instanceof Request.NewSession n) {
            return ResponseWriter.newSession(service.newSession(user, n.maxPollResultSize()));
        }
        ClientSession s = service.session(user, request.sessionId());
        return switch (request) {
            case Request.NewSession n -> throw new IllegalStateException("handled above");
            case Request.EndSession e -> {
                service.end(s, "endSession");
                yield ResponseWriter.received("endSessionResult");
            }
            case Request.RenewSession r -> ResponseWriter.received("renewSessionResult");
            case Request.Publish p -> {
                service.publish(s, p.operations());
                yield ResponseWriter.received("publishReceived");
            }
            case Request.Search q -> ResponseWriter.searchResult(service.search(s, q.spec()));
            case Request.SearchBatch b -> {
                // Each search on its own: one that fails (too big, not authorized) is an errorResult in its place.
                List<Object> results = new ArrayList<>(b.specs().size());
                for (Request.SearchSpec spec : b.specs()) {
                    try {
                        results.add(service.search(s, spec));
                    } catch (IfmapException e) {
                        results.add(e);
                    }
                }
                yield ResponseWriter.searchBatchResult(results);
            }
            case Request.Subscribe q -> {
                service.subscribe(s, q.operations());
                yield ResponseWriter.received("subscribeReceived");
            }
            case Request.Poll p -> ResponseWriter.pollResult(service.poll(s));
            case Request.PurgePublisher p -> {
                service.purge(s, p.publisherId());
                yield ResponseWriter.received("purgePublisherReceived");
            }
        };
    }
}
