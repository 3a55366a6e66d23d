package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.ifmap.model.Request;

/**
 * The server's caps on what one search or subscription may ask for, whatever the client requests: a client
 * asking for {@code max-depth} 1,000 or a {@code max-size} of 2 GB gets the server's bound instead, so one
 * client's search cannot hold the graph lock, or the heap, for the others' share. IF-MAP lets a server
 * impose such limits; a result over the bound is the standard {@code SearchResultsTooBig}.
 *
 * @param maxDepth largest {@code max-depth} served (default 10)
 * @param maxSize  largest {@code max-size} in bytes served (default 10,000,000)
 */
public record SearchLimits(int maxDepth, int maxSize) {
    /** Depth 10, 10,000,000 bytes. */
    public static final SearchLimits DEFAULTS = new SearchLimits(10, 10_000_000);

    /** Validates. */
    public SearchLimits {
        if (maxDepth < 1 || maxSize < 1_000) {
            throw new BatonException(ResultCode.CONFIGURATION, "search limits: max-depth must be at least 1 and max-size"
                    + " at least 1000 bytes, got " + maxDepth + " and " + maxSize);
        }
    }

    /** {@code spec} with its depth and size no larger than these limits. */
    Request.SearchSpec bound(Request.SearchSpec spec) {
        if (spec.maxDepth() <= maxDepth && spec.maxSize() <= maxSize) {
            return spec;
        }
        return new Request.SearchSpec(spec.start(), spec.matchLinks(), Math.min(spec.maxDepth(), maxDepth),
                spec.terminalTypes(), Math.min(spec.maxSize(), maxSize), spec.resultFilter());
    }
}
