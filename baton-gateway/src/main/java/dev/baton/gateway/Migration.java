package dev.baton.gateway;

import dev.baton.core.AccessPolicy;
import dev.baton.core.BatonException;
import dev.baton.core.InboundRules;
import dev.baton.core.ResultCode;
import dev.baton.core.RoleMappingRule;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.core.SessionOptions;
import dev.baton.core.TimeoutRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One migration, as a story in two halves.
 *
 * <p>Arriving (on the receiving gateway B, {@link #migrateIn}): the agent presents its session id; B looks
 * the session up in the federation by the id's hash; the agent proves it holds the key the session is bound
 * to; B's realm of the same authentication group applies
 * its inbound rule, role mapping and Host Checker; the original start time is kept and B's maximum length
 * counted from it; B claims ownership in the federation, which only one gateway can win; B holds the
 * session and serves.
 *
 * <p>Leaving (on the previous owner A, {@link #ownershipLost}): the federation's notification reaches A,
 * which drops the session from its table; the claim already replaced A's published data, so exactly one
 * gateway holds the session and only its data is published.
 */
final class Migration {
    private static final Logger log = LoggerFactory.getLogger(Migration.class);
    /** Why a revoked session is refused, to the agent. */
    static final String REVOKED = "the session was revoked by an operator (or to keep its user within a session limit);"
            + " sign in again";

    private final GatewayConfig config;
    private final Federation federation;
    private final SessionTable table;
    private final InstantSource clock;
    private final SessionLimits limits;

    Migration(GatewayConfig config, Federation federation, SessionTable table, InstantSource clock, SessionLimits limits) {
        this.config = config;
        this.federation = federation;
        this.table = table;
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * B's half: takes the session here without credentials, or refuses with a reason.
     *
     * @param lookedUp what the federation holds under {@code hash}, looked up by the caller; the claim names it
     */
    Session migrateIn(SessionIdHash hash, java.util.Optional<Federation.Published> lookedUp, Map<String, String> posture,
                      Consumer<Session> proofOfPossession) {
        if (!config.migrationEnabled()) {
            throw refuse(ResultCode.MIGRATION_REFUSED, "session migration is switched off on gateway " + config.name()
                    + "; sign in again", hash);
        }
        Federation.Published seen = lookedUp.orElseThrow(() -> refuse(ResultCode.UNKNOWN_SESSION,
                "no gateway of the federation holds this session: it ended (signed out, timed out or revoked), or it belongs to a"
                + " realm whose sessions never leave their gateway (anonymous, certificate); sign in again", hash));
        if (seen.revoked()) {
            throw refuse(ResultCode.MIGRATION_REFUSED, REVOKED, hash);
        }
        Session published = seen.session();
        if (published.owner().equals(config.name())) {
            federation.withdraw(hash, config.name());
            throw refuse(ResultCode.SESSION_EXPIRED, EndReasons.ended(config.name(), "it timed out or was ended here"), hash);
        }
        proofOfPossession.accept(published);
        RealmBinding realm = realmOfGroup(published, hash);
        Map<String, List<String>> attributes = admit(published, realm, hash);
        AccessPolicy.Decision roles = config.access().decide(realm.realm(), RoleMappingRule.UserFacts.of(published.user(), attributes), posture);
        Session arrived = published.migratedTo(config.name(), realm.realm().name(), roles.roles(), roles.remediation(), clock.instant());
        requireWithinMaximumLength(arrived);
        limits.admit(realm, arrived.user(), hash);
        federation.claim(seen, arrived, config.access().passedPolicies(posture));
        table.put(arrived);
        // A third gateway may have taken it between our claim and our put; its notification then found no
        // copy to drop. The federation forgets our ownership before it notifies, so checking after the put
        // closes that gap either way.
        if (!federation.owns(hash, config.name())) {
            table.remove(hash);
            throw refuse(ResultCode.CONFLICT, "another gateway took the session while it"
                    + " arrived here (the agent connected to two gateways at once); connect again to the one that holds it", hash);
        }
        log.debug("session {} of {} migrated from {} to {} (realm {}, roles {})", hash.abbreviated(), dev.baton.gateway.admission.LogSafe.name(arrived.user()),
                published.owner(), config.name(), arrived.realm(), arrived.roles());
        return arrived;
    }

    /**
     * A's half: another gateway took the session; drop the local copy. A's published data (its
     * authenticated-by link, roles, capabilities) went in the same atomic claim that moved ownership, so A
     * removes nothing from the federation here: a withdraw now could race with A taking the session back
     * and delete the new claim.
     */
    void ownershipLost(SessionIdHash hash, String newOwner) {
        // A notice can arrive late: after this gateway took the session back (claim, then put). The claim makes
        // us the owner before the put, and the check is atomic with the put, so a copy that came back stays.
        table.dropTakenOverUnless(hash, () -> federation.owns(hash, config.name())).ifPresent(s ->
                log.debug("session {} of {} moved to {}; dropped from {}", hash.abbreviated(), dev.baton.gateway.admission.LogSafe.name(s.user()), newOwner, config.name()));
    }

    private RealmBinding realmOfGroup(Session published, SessionIdHash hash) {
        if (!published.migratable()) {
            throw refuse(ResultCode.MIGRATION_REFUSED, "sessions authenticated by "
                    + published.authServerKind().displayName() + " never migrate; sign in at gateway " + config.name(), hash);
        }
        return config.realms().stream()
                .filter(b -> b.realm().group().equals(java.util.Optional.of(published.authGroup())))
                .findFirst()
                .orElseThrow(() -> refuse(ResultCode.MIGRATION_REFUSED, "gateway " + config.name()
                        + " has no realm in authentication group " + published.authGroup() + ", so sessions of that group do not move"
                        + " here; sign in at this gateway, or connect to a gateway of group " + published.authGroup(), hash));
    }

    private Map<String, List<String>> admit(Session published, RealmBinding realm, SessionIdHash hash) {
        try {
            return InboundRules.admit(published, realm.realm(), realm.server());
        } catch (BatonException e) {
            throw e.at(config.name(), hash);
        }
    }

    private void requireWithinMaximumLength(Session arrived) {
        SessionOptions options = config.access().optionsFor(arrived.roles());
        TimeoutRules.Verdict verdict = TimeoutRules.verdict(arrived, options, config.kind(), clock);
        if (verdict != TimeoutRules.Verdict.ALIVE) {
            throw refuse(ResultCode.SESSION_EXPIRED, "the session cannot migrate to gateway " + config.name() + ": "
                    + EndReasons.timeout(verdict, options) + ", counted from its start at " + arrived.startTime()
                    + "; sign in again", arrived.hash());
        }
    }

    private BatonException refuse(ResultCode code, String reason, SessionIdHash hash) {
        return new BatonException(code, reason, hash, config.name(), null);
    }
}
