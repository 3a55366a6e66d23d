package dev.baton.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A bearer session identifier: 256 bits from a CSPRNG, written as 43 base64url characters without
 * padding. Only the endpoint agent holds it; everything else sees its {@link #hash()}.
 *
 * <p>{@link #toString()} never prints the whole id; call {@link #reveal()} where the raw value must
 * leave the process (the agent's state file, an API response to the agent that owns it).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SessionId {
    /** Length of an id in bytes (256 bits). */
    public static final int BYTES = 32;
    /** Length of the printable form: base64url of 32 bytes without padding. */
    public static final int ENCODED_LENGTH = 43;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final byte[] bytes;
    private final SessionIdHash hash;

    private SessionId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = SessionIdHash.of(sha256(bytes));
    }

    /** A fresh id from the shared {@link SecureRandom}. */
    public static SessionId generate() {
        return generate(RANDOM);
    }

    /** A fresh id from {@code random}, which must be a CSPRNG outside tests. */
    public static SessionId generate(SecureRandom random) {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return new SessionId(bytes);
    }

    /**
     * Parses the printable form.
     *
     * @throws BatonException with {@link ResultCode#INVALID_REQUEST} if it is not 43 base64url characters
     */
    public static SessionId parse(String encoded) {
        if (encoded == null || encoded.length() != ENCODED_LENGTH) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "session id must be " + ENCODED_LENGTH
                    + " base64url characters, got " + (encoded == null ? "none" : encoded.length()));
        }
        try {
            return new SessionId(DECODER.decode(encoded));
        } catch (IllegalArgumentException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "session id is not valid base64url", e);
        }
    }

    /** The SHA-256 hash of the id, the only form stored or published. */
    public SessionIdHash hash() {
        return hash;
    }

    /** The full printable id. Only for handing the id to its own agent. */
    public String reveal() {
        return ENCODER.encodeToString(bytes);
    }

    /** The id's bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionId other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** A redacted form: the first four characters and the hash prefix. */
    @Override
    public String toString() {
        return "SessionId[" + reveal().substring(0, 4) + "…, hash " + hash.abbreviated() + "]";
    }

    static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Hashes a presented printable id without keeping it. */
    public static SessionIdHash hashOf(String encoded) {
        return parse(encoded).hash();
    }
}
