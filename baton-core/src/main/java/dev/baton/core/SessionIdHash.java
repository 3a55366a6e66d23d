package dev.baton.core;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SHA-256 hash of a {@link SessionId}, as 64 lower-case hex digits. This is the only form of a
 * session identifier that stores, logs, metrics and the federation server ever see: knowing it does not
 * let anyone present the session.
 *
 * @param hex 64 lower-case hexadecimal digits
 */
public record SessionIdHash(String hex) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** Validates the form. */
    public SessionIdHash {
        Objects.requireNonNull(hex, "hex");
        if (!HEX64.matcher(hex).matches()) {
            throw new BatonException(ResultCode.INVALID_REQUEST,
                    "session hash must be 64 lower-case hex digits, got " + hex.length() + " characters");
        }
    }

    /** Parses a printable hash, failing with {@link ResultCode#INVALID_REQUEST} on a malformed one. */
    public static SessionIdHash parse(String hex) {
        return new SessionIdHash(hex == null ? "" : hex.strip().toLowerCase(java.util.Locale.ROOT));
    }

    static SessionIdHash of(byte[] digest) {
        return new SessionIdHash(HexFormat.of().formatHex(digest));
    }

    /** The first 12 hex digits, enough to tell sessions apart in a log line. */
    public String abbreviated() {
        return abbreviate(hex);
    }

    static String abbreviate(String hex) {
        return hex.length() <= 12 ? hex : hex.substring(0, 12) + "…";
    }

    @Override
    public String toString() {
        return hex;
    }
}
