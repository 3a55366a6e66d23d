package dev.baton.ifmap.model;

import java.util.List;

/**
 * One element of a pollResult.
 *
 * @param kind      searchResult, updateResult, deleteResult, notifyResult or errorResult
 * @param name      the subscription name
 * @param items     the items (empty for an errorResult)
 * @param error     the error code of an errorResult, else {@code null}
 * @param errorText the errorString of an errorResult, else ""
 */
public record PollResult(String kind, String name, List<ResultItem> items, IfmapError error, String errorText) {
}
