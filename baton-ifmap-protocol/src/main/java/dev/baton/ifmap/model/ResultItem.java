package dev.baton.ifmap.model;

import java.util.List;

/** One resultItem of a search or poll result: an identifier or link and its metadata. */
public record ResultItem(Item item, List<ReceivedMetadata> metadata) {
}
