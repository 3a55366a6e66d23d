package dev.baton.ifmap.server;

/**
 * What one authenticated client of the federation server may do, and how much of it. Every client gets the
 * rights of its role in the federation policy ({@link FederationPolicy}); the server checks them where the
 * data is touched (each publish, delete, search, subscription and purge), not only when a session opens.
 *
 * @param role             the role's name, for refusals and logs
 * @param publish          may send publish requests (standard metadata outside Baton's session data)
 * @param publishSessions  may publish Baton's session data: metadata in Baton's namespace and anything on an
 *                         access-request of administrative domain {@code baton}; a {@code session-owner} it
 *                         publishes must name itself. Gateways only.
 * @param search           may send search requests
 * @param subscribe        may send subscribe requests (and poll)
 * @param readSessions     sees Baton's vendor metadata ({@code baton:session}, {@code baton:session-owner}) in
 *                         search and poll results; without it those elements are left out of every result
 * @param deleteOthers     may delete (or replace a singleValue of) metadata other publishers published
 * @param purgeOwn         may purge its own metadata
 * @param purgeOthers      may purge other publishers' metadata
 * @param maxSubscriptions subscriptions one client session may hold at once
 * @param maxMetadata      metadata elements this publisher may have in the graph at once
 */
public record PublisherRights(String role, boolean publish, boolean publishSessions, boolean search, boolean subscribe,
                              boolean readSessions, boolean deleteOthers, boolean purgeOwn, boolean purgeOthers,
                              int maxSubscriptions, long maxMetadata) {
    /**
     * A gateway: publishes and claims Baton sessions, reads them, subscribes to their ownership (one
     * subscription per session it holds, hence the high bound).
     */
    public static final PublisherRights GATEWAY =
            new PublisherRights("gateway", true, true, true, true, true, false, true, false, 5_000_000, 50_000_000);
    /** A standard IF-MAP client (sensor, PDP, firewall): publishes standard metadata, searches, subscribes. */
    public static final PublisherRights PUBLISHER =
            new PublisherRights("publisher", true, false, true, true, false, false, true, false, 1_000, 1_000_000);
    /** Searches and subscribes; publishes nothing; does not see Baton's vendor metadata. */
    public static final PublisherRights READER =
            new PublisherRights("reader", false, false, true, true, false, false, false, false, 1_000, 0);
    /** A reader that also sees Baton's vendor metadata (an operator's monitoring). */
    public static final PublisherRights AUDITOR =
            new PublisherRights("auditor", false, false, true, true, true, false, false, false, 1_000, 0);
    /** Operations: publishes standard metadata, deletes and purges anyone's; still cannot mint or claim sessions. */
    public static final PublisherRights ADMIN =
            new PublisherRights("admin", true, false, true, true, true, true, true, true, 10_000, 1_000_000);
    /** Nothing at all: may open a session and nothing else. */
    public static final PublisherRights NONE =
            new PublisherRights("none", false, false, false, false, false, false, false, false, 0, 0);

    /** The built-in role named {@code name}, if there is one. */
    public static java.util.Optional<PublisherRights> role(String name) {
        return java.util.stream.Stream.of(GATEWAY, PUBLISHER, READER, AUDITOR, ADMIN, NONE)
                .filter(r -> r.role.equals(name)).findFirst();
    }

    /** This role with other quotas. */
    public PublisherRights withQuotas(int maxSubscriptions, long maxMetadata) {
        return new PublisherRights(role, publish, publishSessions, search, subscribe, readSessions, deleteOthers,
                purgeOwn, purgeOthers, maxSubscriptions, maxMetadata);
    }
}
