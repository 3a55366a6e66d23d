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
    private final boolean ownershipConflict;

    /** A failure answered with {@code error} and {@code message}. */
    public IfmapException(IfmapError error, String message) {
        this(error, message, false);
    }

    private IfmapException(IfmapError error, String message, boolean ownershipConflict) {
        super(codeOf(error), message);
        this.error = error;
        this.ownershipConflict = ownershipConflict;
    }

    /**
     * The failure of a claim that lost its compare-and-set on {@code baton:session-owner}; {@code detail} says at
     * which generations. IF-MAP has no error code for it, so it is an errorResult {@code Failure} that the server
     * marks with the attribute {@code baton:conflict="session-owner"}; the text is for people only.
     */
    public static IfmapException ownershipConflict(String detail) {
        return new IfmapException(IfmapError.Failure, "ownership conflict: " + detail, true);
    }

    /** An ownership conflict as a client received it, with the server's {@code errorString}. */
    public static IfmapException receivedOwnershipConflict(String errorString) {
        return new IfmapException(IfmapError.Failure, errorString, true);
    }

    /** The IF-MAP error code. */
    public IfmapError error() {
        return error;
    }

    /** Whether this is a lost compare-and-set of a session-owner claim ({@link #ownershipConflict}). */
    public boolean isOwnershipConflict() {
        return ownershipConflict;
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
