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
 * <p>An agent may instead make the challenge itself ({@link #agentChallenge}): a timestamp, 128 random bits
 * and the name of the gateway it is meant for, as DPoP proofs do (RFC 9449). The gateway accepts it once,
 * within a clock-skew window, which spares a migration the round trip for a challenge; a gateway that
 * refuses it (clock off, another gateway answering behind a load balancer) answers
 * {@link ResultCode#STALE_CHALLENGE}, and the agent asks for a challenge as before.
 *
 * <p>Keys travel in the standard encodings (X.509 SubjectPublicKeyInfo, PKCS#8), so the algorithm is named
 * by the key itself. Ed25519 signatures are made and checked with BouncyCastle's Ed25519, which verifies
 * several times faster than the JDK's P-256 ECDSA, and every migration costs the receiving gateway one
 * verification. EC P-256 keys (SHA256withECDSA), which agents made
 * before Ed25519 became the default, are still accepted.
 *
 * <p>Pure functions; thread-safe.
 */
public final class ProofOfPossession {
    private static final String EC_ALGORITHM = "SHA256withECDSA";
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How agent-made challenges begin ({@link #agentChallenge}); gateway-issued ones are plain base64url. */
    public static final String AGENT_CHALLENGE_PREFIX = "agent:";

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

    /** The operation of a connection (resume or migration), whose proof is {@link #message(String, SessionIdHash, String)}. */
    public static final String CONNECT = "connect";

    /** The bytes signed to connect: domain tag, gateway, session hash and challenge, one per line. */
    public static byte[] message(String gateway, SessionIdHash hash, String challenge) {
        return ("baton-proof-of-possession-v1\n" + gateway + "\n" + hash.hex() + "\n" + challenge).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The bytes signed for {@code operation} ({@value #CONNECT}, {@code access}, {@code heartbeat},
     * {@code sign-out}): a connection's as above; any other request's under its own domain tag with the
     * operation, so a proof made for one request cannot serve another, nor a connection.
     */
    public static byte[] message(String operation, String gateway, SessionIdHash hash, String challenge) {
        if (operation.equals(CONNECT)) {
            return message(gateway, hash, challenge);
        }
        return ("baton-request-proof-v1\n" + operation + "\n" + gateway + "\n" + hash.hex() + "\n" + challenge)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Signs a challenge to connect; returns the signature in base64. */
    public static String sign(PrivateKey key, String gateway, SessionIdHash hash, String challenge) {
        return signer(key).sign(gateway, hash, challenge);
    }

    /** Signs a challenge for {@code operation}; returns the signature in base64. */
    public static String sign(PrivateKey key, String operation, String gateway, SessionIdHash hash, String challenge) {
        return signer(key).sign(operation, gateway, hash, challenge);
    }

    /**
     * A signer holding {@code key} decoded, for an agent that signs many challenges with one key: decoding a
     * PKCS#8 key and deriving its Ed25519 public point anew for every signature costs as much as signing.
     */
    public static Signer signer(PrivateKey key) {
        if (key.getAlgorithm().equals("EC")) {
            return (operation, gateway, hash, challenge) -> {
                try {
                    Signature s = Signature.getInstance(EC_ALGORITHM);
                    s.initSign(key);
                    s.update(message(operation, gateway, hash, challenge));
                    return B64.encodeToString(s.sign());
                } catch (GeneralSecurityException | RuntimeException e) {
                    throw new BatonException(ResultCode.INVALID_REQUEST, "cannot sign the challenge: " + e.getMessage(), e);
                }
            };
        }
        AsymmetricKeyParameter parameters;
        try {
            parameters = PrivateKeyFactory.createKey(key.getEncoded());
        } catch (java.io.IOException | RuntimeException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "cannot read the private key: " + e.getMessage(), e);
        }
        if (!(parameters instanceof Ed25519PrivateKeyParameters ed)) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "cannot sign the challenge with a "
                    + key.getAlgorithm() + " key: Ed25519 or EC P-256 needed");
        }
        return (operation, gateway, hash, challenge) -> {
            byte[] message = message(operation, gateway, hash, challenge);
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, ed);
            s.update(message, 0, message.length);
            return B64.encodeToString(s.generateSignature());
        };
    }

    /** Signs challenges with one private key. Thread-safe. */
    @FunctionalInterface
    public interface Signer {
        /** The base64 signature over {@link #message(String, String, SessionIdHash, String)}. */
        String sign(String operation, String gateway, SessionIdHash hash, String challenge);

        /** The base64 signature of a connection's proof. */
        default String sign(String gateway, SessionIdHash hash, String challenge) {
            return sign(CONNECT, gateway, hash, challenge);
        }
    }

    /**
     * A challenge the agent makes itself for {@code gateway} at {@code now}:
     * {@code agent:<epoch millis>:<128 random bits, base64url>:<gateway>}.
     */
    public static String agentChallenge(String gateway, java.time.Instant now) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return AGENT_CHALLENGE_PREFIX + now.toEpochMilli() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(nonce)
                + ":" + gateway;
    }

    /** Whether {@code challenge} is agent-made (starts with {@value #AGENT_CHALLENGE_PREFIX}). */
    public static boolean isAgentChallenge(String challenge) {
        return challenge != null && challenge.startsWith(AGENT_CHALLENGE_PREFIX);
    }

    /** The parts of an agent-made challenge; empty if it is malformed. */
    public static java.util.Optional<AgentChallenge> parseAgentChallenge(String challenge) {
        if (!isAgentChallenge(challenge)) {
            return java.util.Optional.empty();
        }
        String[] parts = challenge.substring(AGENT_CHALLENGE_PREFIX.length()).split(":", 3);
        if (parts.length != 3 || parts[1].length() != 22 || parts[2].isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            java.nio.ByteBuffer nonce = java.nio.ByteBuffer.wrap(Base64.getUrlDecoder().decode(parts[1]));
            return java.util.Optional.of(new AgentChallenge(java.time.Instant.ofEpochMilli(Long.parseLong(parts[0])),
                    nonce.getLong(), nonce.getLong(), parts[2]));
        } catch (IllegalArgumentException | java.time.DateTimeException | java.nio.BufferUnderflowException e) {
            return java.util.Optional.empty(); // NumberFormatException is an IllegalArgumentException
        }
    }

    /** An agent-made challenge: when it was made, by the agent's clock, its 128-bit nonce, and for which gateway. */
    public record AgentChallenge(java.time.Instant madeAt, long nonceHigh, long nonceLow, String gateway) {
    }

    /** Whether {@code signature} is the bound key's signature of a connection's proof; false on any malformed input. */
    public static boolean verify(String publicKeyBase64, String gateway, SessionIdHash hash, String challenge, String signature) {
        return verify(publicKeyBase64, CONNECT, gateway, hash, challenge, signature);
    }

    /** Whether {@code signature} is the bound key's signature for {@code operation}; false on any malformed input. */
    public static boolean verify(String publicKeyBase64, String operation, String gateway, SessionIdHash hash,
                                 String challenge, String signature) {
        if (publicKeyBase64 == null || signature == null || challenge == null) {
            return false;
        }
        try {
            byte[] message = message(operation, gateway, hash, challenge);
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
