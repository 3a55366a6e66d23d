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

    /** The IF-MAP error code. */
    public IfmapError error() {
        return error;
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
