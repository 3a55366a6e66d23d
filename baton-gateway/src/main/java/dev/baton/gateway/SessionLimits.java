package dev.baton.gateway;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionIdHash;
import dev.baton.gateway.admission.LogSafe;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces realms' session limits across the federation (docs/gateway.md): before a user gets a session here, by
 * sign-in or by migration in, the user's live sessions in the whole federation are counted
 * ({@link Federation#sessionsOf}); beyond the realm's {@code max-sessions-per-user}, {@code deny-new} refuses with
 * {@link ResultCode#SESSION_LIMIT} and {@code end-oldest} revokes the oldest sessions (by start time) through the
 * federation's revocation mark ({@link Federation#revokeForLimit}), wherever they are held, and lets the new one in.
 * Thread-safe; two sign-ins of one user at the same moment on two gateways may both get in (the count is not a lock).
 */
final class SessionLimits {
    private static final Logger LOG = LoggerFactory.getLogger(SessionLimits.class);

    private final Federation federation;
    private final String gateway;
    private final GatewayEvents events;

    SessionLimits(Federation federation, String gateway, GatewayEvents events) {
        this.federation = federation;
        this.gateway = gateway;
        this.events = events;
    }

    /**
     * Makes room for one more session of {@code user} in {@code realm}, or refuses.
     *
     * @param arriving the session that is about to be held here (a migration's own), not counted; or {@code null}
     * @throws BatonException {@link ResultCode#SESSION_LIMIT} when the realm denies new sessions beyond its limit
     */
    void admit(RealmBinding realm, String user, SessionIdHash arriving) {
        SessionLimit limit = realm.limit();
        if (!limit.limited()) {
            return;
        }
        List<Federation.Published> live = federation.sessionsOf(user).stream()
                .filter(p -> !p.hash().equals(arriving))
                .sorted(Comparator.comparing((Federation.Published p) -> p.session().startTime())
                        .thenComparing(p -> p.hash().hex()))
                .toList();
        int excess = live.size() + 1 - limit.maxPerUser();
        if (excess <= 0) {
            return;
        }
        events.limitHit(user, realm.realm().name(), limit, live.size(), live.subList(0, Math.min(excess, live.size())));
        if (limit.policy() == SessionLimit.Policy.DENY_NEW) {
            throw new BatonException(ResultCode.SESSION_LIMIT, "user " + LogSafe.name(user) + " already holds "
                    + live.size() + " sessions in the federation, the most realm " + realm.realm().name() + " allows ("
                    + "max-sessions-per-user " + limit.maxPerUser() + "); sign out of one elsewhere first", arriving,
                    gateway, null);
        }
        for (Federation.Published oldest : live.subList(0, excess)) {
            federation.revokeForLimit(oldest.hash(), gateway);
            LOG.info("session {} of {} at {} revoked by {}: realm {} allows {} sessions per user", oldest.hash().abbreviated(),
                    LogSafe.name(user), oldest.owner(), gateway, realm.realm().name(), limit.maxPerUser());
        }
    }
}
