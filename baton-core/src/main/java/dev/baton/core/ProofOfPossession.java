package dev.baton.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Proof that an agent holds the private key its session was bound to at sign-in. A session id alone is a
 * bearer secret; with this, a stolen id without the key gets nothing.
 *
 * <p>The agent makes an EC P-256 key pair at sign-in and sends the public key; the gateway binds the session
 * to it. To resume or migrate, the agent asks the receiving gateway for a fresh single-use challenge and
 * signs {@link #message} (domain tag, gateway name, session hash, challenge) with SHA256withECDSA. Binding
 * the gateway name and session hash stops a signature from being replayed elsewhere.
 *
 * <p>Pure functions over JDK cryptography; thread-safe.
 */
public final class ProofOfPossession {
    private static final String ALGORITHM = "SHA256withECDSA";
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private ProofOfPossession() {
    }

    /** A new EC P-256 key pair for an agent. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has EC P-256", e);
        }
    }

    /** The bytes signed: domain tag, gateway, session hash and challenge, one per line. */
    public static byte[] message(String gateway, SessionIdHash hash, String challenge) {
        return ("baton-proof-of-possession-v1\n" + gateway + "\n" + hash.hex() + "\n" + challenge).getBytes(StandardCharsets.UTF_8);
    }

    /** Signs a challenge; returns the signature in base64. */
    public static String sign(PrivateKey key, String gateway, SessionIdHash hash, String challenge) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(message(gateway, hash, challenge));
            return B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "cannot sign the challenge: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} is the bound key's signature over the challenge; false on any malformed input. */
    public static boolean verify(String publicKeyBase64, String gateway, SessionIdHash hash, String challenge, String signature) {
        if (publicKeyBase64 == null || signature == null || challenge == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(publicKey(publicKeyBase64));
            s.update(message(gateway, hash, challenge));
            return s.verify(B64D.decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException | BatonException e) {
            return false;
        }
    }

    /** Encodes a public key as base64 X.509 SubjectPublicKeyInfo. */
    public static String encode(PublicKey key) {
        return B64.encodeToString(key.getEncoded());
    }

    /** Encodes a private key as base64 PKCS#8. */
    public static String encode(PrivateKey key) {
        return B64.encodeToString(key.getEncoded());
    }

    /** Decodes a base64 X.509 EC public key. */
    public static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(B64D.decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "agent key is not a base64 X.509 EC public key", e);
        }
    }

    /** Decodes a base64 PKCS#8 EC private key. */
    public static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(B64D.decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "private key is not a base64 PKCS#8 EC key", e);
        }
    }
}
