package dev.baton.core;

import java.util.Objects;
import java.util.Optional;

/**
 * The one exception Baton throws for expected failures. It always carries a {@link ResultCode}, and where
 * known the hash of the session concerned and the node that raised it. The message is meant for a user or
 * an operator to read; it never contains a raw session id.
 */
public class BatonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ResultCode code;
    private final String sessionHash;
    private final String node;

    /** A failure with a code and a readable message. */
    public BatonException(ResultCode code, String message) {
        this(code, message, null, null, null);
    }

    /** A failure with a code, a readable message and the exception that caused it. */
    public BatonException(ResultCode code, String message, Throwable cause) {
        this(code, message, null, null, cause);
    }

    /**
     * A failure with every detail.
     *
     * @param sessionHash the hash of the session concerned, or {@code null}
     * @param node        the gateway or server name that raised it, or {@code null}
     */
    public BatonException(ResultCode code, String message, SessionIdHash sessionHash, String node, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.sessionHash = sessionHash == null ? null : sessionHash.toString();
        this.node = node;
    }

    /** The result code; never {@code null}. */
    public ResultCode code() {
        return code;
    }

    /** The hash of the session concerned, in its printable form, if known. */
    public Optional<String> sessionHash() {
        return Optional.ofNullable(sessionHash);
    }

    /** The node that raised the failure, if known. */
    public Optional<String> node() {
        return Optional.ofNullable(node);
    }

    /** A copy of this failure attributed to {@code node} and {@code hash}. */
    public BatonException at(String node, SessionIdHash hash) {
        BatonException copy = new BatonException(code, getMessage(), hash, node, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage() + (node == null ? "" : " [node " + node + "]")
                + (sessionHash == null ? "" : " [session " + SessionIdHash.abbreviate(sessionHash) + "]");
    }
}
