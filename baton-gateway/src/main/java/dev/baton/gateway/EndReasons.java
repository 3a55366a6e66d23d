package dev.baton.gateway;

import dev.baton.core.Durations;
import dev.baton.core.SessionOptions;
import dev.baton.core.TimeoutRules;

/**
 * Why a session ended, in words its user can act on: the rule that ended it, with the configured value and its
 * key, and what to do next. An agent that comes back after its session ended is told this rather than that the
 * session is unknown.
 */
final class EndReasons {
    private EndReasons() {
    }

    /** The timeout rule behind {@code verdict}, with its configured value (F9, F10). */
    static String timeout(TimeoutRules.Verdict verdict, SessionOptions o) {
        return switch (verdict) {
            case MAX_LENGTH -> "it reached its maximum length (max-session-length " + Durations.format(o.maxSessionLength())
                    + " from its first sign-in, wherever it migrated)";
            case IDLE -> "its idle timeout passed (idle-timeout " + Durations.format(o.idleTimeout()) + " without a request on this "
                    + "remote-access gateway; that is also how long a rebooted endpoint may resume)";
            case HEARTBEAT -> "its heartbeat timeout passed (heartbeat-timeout " + Durations.format(o.heartbeatTimeout())
                    + " without a heartbeat from the agent on this policy gateway; that is also how long a rebooted endpoint may resume)";
            // Alive by its timeouts, yet dropped at its deadline: the Host Checker timeout's (HostCheck.expiry).
            case ALIVE -> "the endpoint sent no posture report within the Host Checker timeout (host-checker-timeout) and"
                    + " its realm has no remediation role";
        };
    }

    /** What an agent is told about a session that ended on {@code gateway} for {@code why}. */
    static String ended(String gateway, String why) {
        return "the session ended on gateway " + gateway + ": " + why + "; sign in again";
    }

    /** Why a session ended, for the end reasons {@link Gateway} records ({@code signed-out}, {@code host-check-failed}, ...). */
    static String of(String event) {
        return switch (event) {
            case "signed-out" -> "it was signed out";
            case "host-check-failed" -> "the endpoint failed Host Checker and its realm has no remediation role";
            case "revoked" -> "it was revoked by an operator (or to keep its user within a session limit)";
            default -> event;
        };
    }
}
