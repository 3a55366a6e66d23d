package dev.baton.gateway;

import dev.baton.core.AccessPolicy;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.RoleMappingRule;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.core.TimeoutRules;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Host Checker over a session's life (F8). Posture is evaluated at sign-in, on arrival and with every
 * heartbeat. An endpoint that stops reporting (asleep, hibernating) keeps its roles until the gateway's
 * Host Checker timeout; then the session falls back to its realm's limited remediation role, which needs no
 * Host Checker and whose own session options keep it alive while the endpoint sleeps. Without a remediation
 * role the session ends. A good report later restores the mapped roles.
 *
 * <p>The time of the last report is kept in memory only; after a gateway restart each session gets a fresh
 * timeout. Thread-safe.
 */
final class HostCheck {
    private final GatewayConfig config;
    private final InstantSource clock;
    private final Map<SessionIdHash, Instant> lastReport = new ConcurrentHashMap<>();
    private final Map<SessionIdHash, Set<String>> passed = new ConcurrentHashMap<>();

    HostCheck(GatewayConfig config, InstantSource clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Notes that {@code posture} was just evaluated for the session. */
    void reported(SessionIdHash hash, Map<String, String> posture) {
        lastReport.put(hash, clock.instant());
        passed.put(hash, config.access().passedPolicies(posture));
    }

    /** The Host Checker policies the session's endpoint passed at its last report: its capabilities (F2). */
    Set<String> capabilities(SessionIdHash hash) {
        return passed.getOrDefault(hash, Set.of());
    }

    /** Forgets a session that left. */
    void forget(SessionIdHash hash) {
        lastReport.remove(hash);
        passed.remove(hash);
    }

    /**
     * Evaluates fresh posture: the session gets the roles its realm maps and the posture allows.
     *
     * @throws BatonException {@link ResultCode#HOST_CHECK_FAILED} if checks fail and there is no remediation role
     */
    Session reevaluate(Session s, Map<String, String> posture) {
        RealmBinding realm = config.realm(s.realm()).orElseThrow(() -> new BatonException(ResultCode.INTERNAL,
                "session's realm " + s.realm() + " is not configured on " + config.name()));
        AccessPolicy.Decision d = config.access().decide(realm.realm(), RoleMappingRule.UserFacts.of(s.user(), s.attributes()), posture);
        reported(s.hash(), posture);
        return s.withRoles(d.roles(), d.remediation());
    }

    /**
     * The latest instant the session can still be alive if nothing more happens, counting the fall-back to the
     * remediation role at the Host Checker timeout: the memory tier and the store must keep it that long.
     */
    Instant expiry(Session s) {
        Instant plain = TimeoutRules.deadline(s, config.access().optionsFor(s.roles()), config.kind());
        String remediation = config.realm(s.realm()).map(b -> b.realm().remediationRole()).orElse(null);
        if (!checked(s) || s.remediation() || remediation == null) {
            return plain;
        }
        Instant fallBackAt = lastReport.getOrDefault(s.hash(), clock.instant()).plus(config.hostCheckTimeout());
        if (!plain.isAfter(fallBackAt)) {
            return plain;
        }
        Session demoted = s.withRoles(Set.of(remediation), true);
        Instant rescued = TimeoutRules.deadline(demoted, config.access().optionsFor(demoted.roles()), config.kind());
        return rescued.isAfter(plain) ? rescued : plain;
    }

    /** Whether Host Checker applies to the session at all: its realm or one of its roles names a policy. */
    private boolean checked(Session s) {
        boolean realmChecks = config.realm(s.realm()).map(b -> !b.realm().hostCheckerPolicies().isEmpty()).orElse(false);
        return realmChecks || config.access().requiresHostChecker(s.roles());
    }

    /**
     * Applies the Host Checker timeout: a session without a posture report for longer than the timeout
     * falls back to the remediation role, unless its current roles would have ended it first anyway.
     *
     * @throws BatonException {@link ResultCode#HOST_CHECK_FAILED} if it timed out and the realm has no remediation role
     */
    Session applyTimeout(Session s) {
        if (!checked(s)) {
            return s;
        }
        Instant now = clock.instant();
        Instant last = lastReport.computeIfAbsent(s.hash(), h -> now);
        Instant fallBackAt = last.plus(config.hostCheckTimeout());
        if (s.remediation() || now.isBefore(fallBackAt)) {
            return s;
        }
        if (!TimeoutRules.deadline(s, config.access().optionsFor(s.roles()), config.kind()).isAfter(fallBackAt)) {
            return s; // it was dead before the Host Checker timeout; the timeout rules end it
        }
        String remediation = config.realm(s.realm()).map(b -> b.realm().remediationRole()).orElse(null);
        if (remediation == null) {
            throw new BatonException(ResultCode.HOST_CHECK_FAILED, "no posture report since " + last
                    + " (Host Checker timeout " + config.hostCheckTimeout() + ") and realm " + s.realm() + " has no remediation role;"
                    + " keep the agent sending heartbeats with its posture (baton agent keep-alive) and sign in again");
        }
        return s.withRoles(Set.of(remediation), true);
    }
}
