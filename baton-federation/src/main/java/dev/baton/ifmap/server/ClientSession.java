package dev.baton.ifmap.server;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One IF-MAP client session: who opened it, its publisher id, its named subscriptions and the poll queue
 * of its ARC. Subscriptions are guarded by the service lock; {@code lastActivity} is volatile because the
 * sweeper reads it without that lock.
 */
final class ClientSession {
    final String id;
    final String user;
    final String publisherId;
    /** What the client may do, fixed when the session opens (the policy does not change while the server runs). */
    final PublisherRights rights;
    final long maxPollResultSize;
    final PollQueue queue;
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    volatile Instant lastActivity;
    volatile boolean ended;

    ClientSession(String id, String user, String publisherId, PublisherRights rights, long maxPollResultSize,
                  Instant now) {
        this.id = id;
        this.user = user;
        this.publisherId = publisherId;
        this.rights = rights;
        this.maxPollResultSize = maxPollResultSize;
        this.queue = new PollQueue(maxPollResultSize);
        this.lastActivity = now;
    }
}
