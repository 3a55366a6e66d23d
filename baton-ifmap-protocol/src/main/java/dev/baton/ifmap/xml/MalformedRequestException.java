package dev.baton.ifmap.xml;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

/**
 * A request that is not well-formed XML, not a SOAP envelope, crosses an {@link XmlLimits} bound or is not an
 * IF-MAP request at all. The server answers it with a SOAP fault whose reason is this message.
 */
public final class MalformedRequestException extends BatonException {
    private static final long serialVersionUID = 1L;

    /** A malformed request described by {@code message}. */
    public MalformedRequestException(String message) {
        super(ResultCode.INVALID_REQUEST, message);
    }

    /** A malformed request described by {@code message}, caused by a parser failure. */
    public MalformedRequestException(String message, Throwable cause) {
        super(ResultCode.INVALID_REQUEST, message, cause);
    }
}
