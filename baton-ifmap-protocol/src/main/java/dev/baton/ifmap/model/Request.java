package dev.baton.ifmap.model;

import java.util.List;
import java.util.Set;

/** One parsed IF-MAP 2.0 request, as found in a SOAP body. */
public sealed interface Request {
    /** The {@code session-id} attribute, or "" for newSession. */
    String sessionId();

    /** {@code newSession}, with the client's wish for {@code max-poll-result-size} in bytes, or -1. */
    record NewSession(long maxPollResultSize) implements Request {
        @Override
        public String sessionId() {
            return "";
        }
    }

    /** {@code endSession}. */
    record EndSession(String sessionId) implements Request { }

    /** {@code renewSession}. */
    record RenewSession(String sessionId) implements Request { }

    /** {@code purgePublisher}; {@code publisherId} is the publisher whose metadata goes. */
    record PurgePublisher(String sessionId, String publisherId) implements Request { }

    /** {@code publish}: its operations, applied atomically in order. */
    record Publish(String sessionId, List<PublishOp> operations) implements Request { }

    /** {@code search}. */
    record Search(String sessionId, SearchSpec spec) implements Request { }

    /**
     * {@code baton:searchBatch}, Baton's extension: several searches in one request, answered in order by one
     * {@code baton:searchBatchResult} of named results, as a poll answers (each a searchResult or an errorResult,
     * named by its position from 0).
     */
    record SearchBatch(String sessionId, List<SearchSpec> specs) implements Request { }

    /** {@code subscribe}: its operations in order. */
    record Subscribe(String sessionId, List<SubscribeOp> operations) implements Request { }

    /** {@code poll}. */
    record Poll(String sessionId) implements Request { }

    /** One operation inside publish. */
    sealed interface PublishOp {
        /** The identifier or link the operation is on. */
        Item item();
    }

    /** {@code update}: store metadata with a lifetime. */
    record Update(Item item, List<MetadataDraft> metadata, Metadata.Lifetime lifetime) implements PublishOp { }

    /** {@code notify}: deliver metadata to subscribers without storing it. */
    record Notify(Item item, List<MetadataDraft> metadata) implements PublishOp { }

    /** {@code delete}: remove the item's metadata that passes {@code filter}, or all of it if {@code null}. */
    record Delete(Item item, Filter filter) implements PublishOp { }

    /** One operation inside subscribe. */
    sealed interface SubscribeOp {
        /** The subscription's name. */
        String name();
    }

    /** {@code update}: create or replace a named subscription. */
    record SubscribeUpdate(String name, SearchSpec spec) implements SubscribeOp { }

    /** {@code delete}: remove a named subscription. */
    record SubscribeDelete(String name) implements SubscribeOp { }

    /**
     * The parameters of a search or subscription.
     *
     * @param start         the starting identifier
     * @param matchLinks    which links to follow, or {@code null} for every link
     * @param maxDepth      how many links away from the start to go (0: the start only)
     * @param terminalTypes identifier types whose links are not followed further
     * @param maxSize       the largest result in bytes
     * @param resultFilter  which metadata to return, or {@code null} for all
     */
    record SearchSpec(Identifier start, Filter matchLinks, int maxDepth, Set<IdentifierType> terminalTypes,
                      int maxSize, Filter resultFilter) { }
}
