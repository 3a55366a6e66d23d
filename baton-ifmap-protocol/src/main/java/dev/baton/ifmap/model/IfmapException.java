package dev.baton.ifmap.model;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

/**
 * A failure that an IF-MAP server answers with an {@code errorResult}; it carries the exact IF-MAP error
 * code besides Baton's {@link ResultCode}, and the message becomes the {@code errorString}.
 */
public final class IfmapException extends BatonException {
    private static final long serialVersionUID = 1L;

    private final IfmapError error;

    /** A failure answered with {@code error} and {@code message}. */
    public IfmapException(IfmapError error, String message) {
        super(codeOf(error), message);
        this.error = error;
    }

    /**
     * The errorString with which an errorResult {@code Failure} says that a {@code baton:session-owner} claim lost its
     * compare-and-set (Baton's one extension to IF-MAP, which has no error code of its own for it): defined once
     * here for the server that writes it and the client that reads it.
     */
    public static final String OWNERSHIP_CONFLICT = "ownership conflict";

    /** The failure of a claim that lost its compare-and-set; {@code detail} says at which generations. */
    public static IfmapException ownershipConflict(String detail) {
        return new IfmapException(IfmapError.Failure, OWNERSHIP_CONFLICT + ": " + detail);
    }

    /** The IF-MAP error code. */
    public IfmapError error() {
        return error;
    }

    /** Whether this is a lost compare-and-set of a session-owner claim ({@link #ownershipConflict}), as received. */
    public boolean isOwnershipConflict() {
        return error == IfmapError.Failure && getMessage() != null && getMessage().startsWith(OWNERSHIP_CONFLICT);
    }

    private static ResultCode codeOf(IfmapError error) {
        return switch (error) {
            case AccessDenied -> ResultCode.AUTHENTICATION_FAILED;
            case NotAuthorized -> ResultCode.NOT_AUTHORIZED;
            case InvalidSessionID -> ResultCode.UNKNOWN_SESSION;
            case PollResultsTooBig, SearchResultsTooBig, MetadataTooLong, IdentifierTooLong -> ResultCode.TOO_LARGE;
            case SystemError -> ResultCode.UNAVAILABLE;
            default -> ResultCode.INVALID_REQUEST;
        };
    }
}
