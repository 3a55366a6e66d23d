package dev.baton.store;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionIdHash;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * AES-GCM sealing of session attributes at rest (off unless {@code store.encryption.key} is set). Each value
 * gets a fresh 96-bit nonce; the session hash is the associated data, so a sealed value copied onto another
 * session's row fails to open instead of leaking into it. Output: {@code v1:} + base64(nonce || ciphertext || tag).
 *
 * <p>Thread-safe: a {@link Cipher} is created per call.
 */
public final class AttributeCipher {
    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private AttributeCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * A cipher from the configured key: 16, 24 or 32 bytes, base64-encoded (for example from
     * {@code openssl rand -base64 32}).
     *
     * @throws BatonException {@link ResultCode#CONFIGURATION} naming {@code store.encryption.key} if malformed
     */
    public static AttributeCipher fromBase64Key(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64 == null ? "" : base64.strip());
        } catch (IllegalArgumentException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "store.encryption.key is not valid base64", e);
        }
        if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
            throw new BatonException(ResultCode.CONFIGURATION,
                    "store.encryption.key must decode to 16, 24 or 32 bytes, got " + raw.length);
        }
        return new AttributeCipher(raw);
    }

    /** Seals {@code plaintext} bound to the session {@code hash}. */
    public String seal(SessionIdHash hash, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, nonce, hash, plaintext.getBytes(StandardCharsets.UTF_8));
        return PREFIX + Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    }

    /**
     * Opens a value sealed by {@link #seal} for the same {@code hash}.
     *
     * @throws BatonException {@link ResultCode#INTERNAL} if it was sealed with another key, for another
     *                        session, or altered
     */
    public String open(SessionIdHash hash, String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new BatonException(ResultCode.INTERNAL, "sealed session attributes have an unknown format", hash, null, null);
        }
        byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        byte[] nonce = java.util.Arrays.copyOf(all, NONCE_BYTES);
        byte[] body = java.util.Arrays.copyOfRange(all, NONCE_BYTES, all.length);
        return new String(run(Cipher.DECRYPT_MODE, nonce, hash, body), StandardCharsets.UTF_8);
    }

    private byte[] run(int mode, byte[] nonce, SessionIdHash hash, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(hash.hex().getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new BatonException(ResultCode.INTERNAL,
                    "cannot " + (mode == Cipher.ENCRYPT_MODE ? "seal" : "open") + " session attributes"
                            + " (wrong store.encryption.key or altered data)", hash, null, e);
        }
    }

    @Override
    public String toString() {
        return "AttributeCipher[AES-GCM, key ****]";
    }
}
