package dev.baton.ifmap.server;

/**
 * What one authenticated client may do. The default lets a client publish, search, subscribe and purge
 * its own metadata, which is what {@code --basic-auth-users} gives every user.
 *
 * @param publish     may send publish requests
 * @param search      may send search requests
 * @param subscribe   may send subscribe requests (and poll)
 * @param purgeOwn    may purge its own metadata
 * @param purgeOthers may purge other publishers' metadata
 */
public record PublisherRights(boolean publish, boolean search, boolean subscribe, boolean purgeOwn,
                              boolean purgeOthers) {
    /** Publish, search, subscribe, purge own; not purge others. */
    public static final PublisherRights DEFAULT = new PublisherRights(true, true, true, true, false);
    /** Everything, including purging other publishers. */
    public static final PublisherRights ADMIN = new PublisherRights(true, true, true, true, true);
    /** Search and subscribe only. */
    public static final PublisherRights READ_ONLY = new PublisherRights(false, true, true, false, false);
}
