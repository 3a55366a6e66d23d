package dev.baton.ifmap;

import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.client.SearchQuery;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.PollResult;
import dev.baton.ifmap.model.ResultItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Sends look-ups in groups ({@link GroupSender}): a group of one is a standard IF-MAP search; a larger group is
 * one {@code baton:searchBatch} request, Baton's extension, whose results come back in order (so a gateway's
 * look-ups need Baton's federation server, as its claims already do). Under load one request then carries the
 * look-ups of several migrations.
 */
final class LookupSender extends GroupSender<SessionIdHash> {
    private final FederationConnection connection;
    private final LongAdder requests = new LongAdder();

    LookupSender(FederationConnection connection) {
        super(64);
        this.connection = connection;
    }

    /** The session published under {@code hash}, with the owner and generation a claim must name; empty if none. */
    @SuppressWarnings("unchecked")
    Optional<FederatedSession> lookup(SessionIdHash hash) {
        return (Optional<FederatedSession>) send(hash);
    }

    /** Requests that carried look-ups since the client started. */
    long requests() {
        return requests.sum();
    }

    @Override
    protected void sendGroup(List<Pending<SessionIdHash>> group) {
        requests.increment();
        if (group.size() == 1) {
            SessionIdHash hash = group.get(0).request;
            complete(group.get(0), readOrFailure(hash, () -> connection.call(c -> c.search(query(hash)))));
            return;
        }
        List<SearchQuery> queries = new ArrayList<>(group.size());
        group.forEach(p -> queries.add(query(p.request)));
        List<PollResult> results;
        try {
            results = connection.call(c -> c.searchBatch(queries));
        } catch (RuntimeException e) {
            group.forEach(p -> complete(p, e));
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            PollResult r = results.get(i);
            complete(group.get(i), r.error() != null ? new IfmapException(r.error(), r.errorText())
                    : readOrFailure(group.get(i).request, r::items));
        }
    }

    private static Object readOrFailure(SessionIdHash hash, Supplier<List<ResultItem>> items) {
        try {
            return SessionMapping.read(hash, items.get());
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static SearchQuery query(SessionIdHash hash) {
        return new SearchQuery(SessionMapping.accessRequest(hash), 0, null, null, 0);
    }
}
