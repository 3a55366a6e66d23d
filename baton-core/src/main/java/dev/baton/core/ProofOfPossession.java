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
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Proof that an agent holds the private key its session was bound to at sign-in. A session id alone is a
 * bearer secret; with this, a stolen id without the key gets nothing.
 *
 * <p>The agent makes an Ed25519 key pair at sign-in and sends the public key; the gateway binds the session
 * to it. To resume or migrate, the agent asks the receiving gateway for a fresh single-use challenge and
 * signs {@link #message} (domain tag, gateway name, session hash, challenge). Binding the gateway name and
 * session hash stops a signature from being replayed elsewhere.
 *
 * <p>Keys travel in the standard encodings (X.509 SubjectPublicKeyInfo, PKCS#8), so the algorithm is named
 * by the key itself. Ed25519 signatures are made and checked with BouncyCastle's Ed25519, about ten times
 * faster to verify than the JDK's P-256 ECDSA on the machines measured (docs/benchmarks.md) — every
 * migration costs the receiving gateway one verification. EC P-256 keys (SHA256withECDSA), which agents made
 * before Ed25519 became the default, are still accepted.
 *
 * <p>Pure functions; thread-safe.
 */
public final class ProofOfPossession {
    private static final String EC_ALGORITHM = "SHA256withECDSA";
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private ProofOfPossession() {
    }

    /** A new Ed25519 key pair for an agent. */
    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 15+ has Ed25519", e);
        }
    }

    /** A new EC P-256 key pair, as agents made before Ed25519; still accepted by {@link #verify}. */
    public static KeyPair newP256KeyPair() {
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
        byte[] message = message(gateway, hash, challenge);
        try {
            if (key.getAlgorithm().equals("EC")) {
                Signature s = Signature.getInstance(EC_ALGORITHM);
                s.initSign(key);
                s.update(message);
                return B64.encodeToString(s.sign());
            }
            if (!(PrivateKeyFactory.createKey(key.getEncoded()) instanceof Ed25519PrivateKeyParameters ed)) {
                throw new BatonException(ResultCode.INVALID_REQUEST, "cannot sign the challenge with a "
                        + key.getAlgorithm() + " key: Ed25519 or EC P-256 needed");
            }
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, ed);
            s.update(message, 0, message.length);
            return B64.encodeToString(s.generateSignature());
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            if (e instanceof BatonException b) {
                throw b;
            }
            throw new BatonException(ResultCode.INVALID_REQUEST, "cannot sign the challenge: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} is the bound key's signature over the challenge; false on any malformed input. */
    public static boolean verify(String publicKeyBase64, String gateway, SessionIdHash hash, String challenge, String signature) {
        if (publicKeyBase64 == null || signature == null || challenge == null) {
            return false;
        }
        try {
            byte[] message = message(gateway, hash, challenge);
            byte[] sig = B64D.decode(signature);
            AsymmetricKeyParameter key = PublicKeyFactory.createKey(B64D.decode(publicKeyBase64));
            if (key instanceof Ed25519PublicKeyParameters ed) {
                Ed25519Signer s = new Ed25519Signer();
                s.init(false, ed);
                s.update(message, 0, message.length);
                return s.verifySignature(sig);
            }
            Signature s = Signature.getInstance(EC_ALGORITHM);
            s.initVerify(publicKey(publicKeyBase64));
            s.update(message);
            return s.verify(sig);
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            return false; // malformed key or signature: no proof
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

    /** Decodes a base64 X.509 Ed25519 or EC P-256 public key. */
    public static PublicKey publicKey(String base64) {
        return key(decode(base64, "agent key"), (factory, der) -> factory.generatePublic(new X509EncodedKeySpec(der)),
                "agent key is not a base64 X.509 Ed25519 or EC public key");
    }

    /** Decodes a base64 PKCS#8 Ed25519 or EC P-256 private key. */
    public static PrivateKey privateKey(String base64) {
        return key(decode(base64, "private key"), (factory, der) -> factory.generatePrivate(new PKCS8EncodedKeySpec(der)),
                "private key is not a base64 PKCS#8 Ed25519 or EC key");
    }

    private static final String[] KEY_ALGORITHMS = {"Ed25519", "EC"};

    private interface KeyReader<K> {
        K read(KeyFactory factory, byte[] der) throws GeneralSecurityException;
    }

    /** The first of {@link #KEY_ALGORITHMS} whose factory reads {@code der}. */
    private static <K> K key(byte[] der, KeyReader<K> reader, String refusal) {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return reader.read(KeyFactory.getInstance(algorithm), der);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm; try the next
            }
        }
        throw new BatonException(ResultCode.INVALID_REQUEST, refusal);
    }

    private static byte[] decode(String base64, String what) {
        try {
            return B64D.decode(base64);
        } catch (IllegalArgumentException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, what + " is not base64: " + e.getMessage(), e);
        }
    }
}
