package dev.baton.core;

/**
 * The outcome class of every failure Baton reports. Each code maps to one HTTP status (agent and admin
 * APIs), one IF-MAP 2.x {@code errorResult} code (federation server) and one process exit status (CLI),
 * so the same failure reads the same everywhere.
 *
 * <p>Exit status 0 is success and is never used by a code here.
 */
public enum ResultCode {
    /** Input was malformed or failed validation; the message names the offending field. */
    INVALID_REQUEST(400, "Failure", 2),
    /** Credentials were wrong or missing. */
    AUTHENTICATION_FAILED(401, "AccessDenied", 3),
    /** A proof-of-possession challenge was unknown, already used or expired; ask for a new one and retry. */
    STALE_CHALLENGE(401, "AccessDenied", 12),
    /** The caller is known but may not do this (wrong authentication group, migration disabled, ...). */
    NOT_AUTHORIZED(403, "NotAuthorized", 4),
    /** The session id (or its hash) is not known here, or no longer valid. */
    UNKNOWN_SESSION(404, "InvalidSessionID", 5),
    /** The session exists but has passed one of its deadlines. */
    SESSION_EXPIRED(410, "InvalidSessionID", 5),
    /** A migration was refused by the receiving realm's rules. */
    MIGRATION_REFUSED(403, "NotAuthorized", 6),
    /** Host Checker policies failed and no remediation role applies. */
    HOST_CHECK_FAILED(403, "AccessDenied", 7),
    /** Another node won a race for the same session. */
    CONFLICT(409, "Failure", 8),
    /** A request or result exceeded a configured size bound. */
    TOO_LARGE(413, "Failure", 9),
    /** Configuration is invalid; the message names the key. */
    CONFIGURATION(500, "SystemError", 10),
    /** External storage or the federation server could not be reached. */
    UNAVAILABLE(503, "SystemError", 11),
    /**
     * The node is too busy to take this request now (a bound on concurrent work is reached); try again after the
     * time the answer names ({@code Retry-After}).
     */
    OVERLOADED(503, "SystemError", 13),
    /** Too many failed attempts for this user or from this address; wait the time the answer names. */
    THROTTLED(429, "AccessDenied", 14),
    /**
     * The user already holds as many live sessions in the federation as the realm allows
     * ({@code max-sessions-per-user}); sign out of one elsewhere first.
     */
    SESSION_LIMIT(403, "AccessDenied", 15),
    /** A defect or an unexpected condition. */
    INTERNAL(500, "SystemError", 1);

    private final int httpStatus;
    private final String ifmapErrorCode;
    private final int exitStatus;

    ResultCode(int httpStatus, String ifmapErrorCode, int exitStatus) {
        this.httpStatus = httpStatus;
        this.ifmapErrorCode = ifmapErrorCode;
        this.exitStatus = exitStatus;
    }

    /** The HTTP status an API answers with for this code. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The IF-MAP 2.x {@code errorResult/@errorCode} value closest to this code. */
    public String ifmapErrorCode() {
        return ifmapErrorCode;
    }

    /** The process exit status of a CLI command that fails with this code; never 0. */
    public int exitStatus() {
        return exitStatus;
    }
}
