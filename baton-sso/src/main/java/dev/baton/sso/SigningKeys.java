package dev.baton.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.http.tls.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The provider's token-signing keys (RSA 2048, RS256, which every OpenID Connect relying party must accept),
 * kept in an owner-only JSON Web Key Set file so tokens stay valid across restarts.
 *
 * <p><b>Rotation.</b> The newest key signs. Once it is {@code rotation} old a new key is made and signs from then
 * on; the previous key stays published in the JWKS until every token it signed has expired ({@code lifetime}
 * after it stopped signing), so a relying party that cached the old set and one that fetched the new one both
 * validate every live token. Keys are looked at on each use, so no timer is needed and a test moves the clock.
 */
final class SigningKeys {
    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    private final Path file;
    private final Duration rotation;
    private final Duration lifetime;
    private final InstantSource clock;
    private volatile List<RSAKey> keys; // newest first
    /** Signers and verifiers by key id: turning a JWK into a Java key costs more than a signature. */
    private final java.util.Map<String, com.nimbusds.jose.crypto.RSASSASigner> signers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, com.nimbusds.jose.crypto.RSASSAVerifier> verifiers = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Loads the key set from {@code file}, or makes one; refuses a file that group or others may read.
     *
     * @param lifetime the longest a signed token lives
     */
    SigningKeys(Path file, Duration rotation, Duration lifetime, InstantSource clock) {
        this.file = file;
        this.rotation = rotation;
        this.lifetime = lifetime;
        this.clock = clock;
        this.keys = Files.exists(file) ? load(file) : List.of();
        current();
    }

    /** The key that signs now, rotating first if it is due. */
    RSAKey current() {
        List<RSAKey> now = keys;
        Instant at = clock.instant();
        if (!now.isEmpty() && issued(now.get(0)).plus(rotation).isAfter(at)) {
            return now.get(0);
        }
        return rotate(at);
    }

    /** The public keys relying parties validate with: the current one and those whose tokens may still be alive. */
    JWKSet publicSet() {
        current();
        return new JWKSet(keys.stream().map(k -> (JWK) k.toPublicJWK()).toList());
    }

    /** The signer of the current key. */
    com.nimbusds.jose.crypto.RSASSASigner signer(RSAKey key) {
        return signers.computeIfAbsent(key.getKeyID(), id -> {
            try {
                return new com.nimbusds.jose.crypto.RSASSASigner(key.toRSAPrivateKey());
            } catch (JOSEException e) {
                throw new BatonException(ResultCode.INTERNAL, "signing key " + id + " is unusable: " + e.getMessage(), e);
            }
        });
    }

    /** The verifier of a published key, if the key is still published. */
    Optional<com.nimbusds.jose.crypto.RSASSAVerifier> verifier(String kid) {
        return byId(kid).map(key -> verifiers.computeIfAbsent(kid, id -> {
            try {
                return new com.nimbusds.jose.crypto.RSASSAVerifier(key.toRSAPublicKey());
            } catch (JOSEException e) {
                throw new BatonException(ResultCode.INTERNAL, "signing key " + id + " is unusable: " + e.getMessage(), e);
            }
        }));
    }

    /** The key with that id, if it is still published. */
    Optional<RSAKey> byId(String kid) {
        return keys.stream().filter(k -> k.getKeyID().equals(kid)).findFirst();
    }

    private synchronized RSAKey rotate(Instant at) {
        List<RSAKey> old = keys;
        if (!old.isEmpty() && issued(old.get(0)).plus(rotation).isAfter(at)) {
            return old.get(0); // another thread rotated
        }
        RSAKey fresh = generate(at);
        List<RSAKey> next = new ArrayList<>();
        next.add(fresh);
        // A key is kept while tokens it signed may live: until its successor started signing plus their lifetime.
        Instant successorStart = at;
        for (RSAKey k : old) {
            if (successorStart.plus(lifetime).isAfter(at)) {
                next.add(k);
            }
            successorStart = issued(k);
        }
        keys = List.copyOf(next);
        OwnerOnlyFiles.writeAtomically(file, new JWKSet(new ArrayList<JWK>(keys)).toString(false).getBytes(StandardCharsets.UTF_8));
        log.info("token-signing key {} made; {} key(s) published", fresh.getKeyID(), keys.size());
        return fresh;
    }

    private static RSAKey generate(Instant at) {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString()).issueTime(Date.from(at)).generate();
        } catch (JOSEException e) {
            throw new BatonException(ResultCode.INTERNAL, "cannot make an RSA signing key: " + e.getMessage(), e);
        }
    }

    private static Instant issued(RSAKey k) {
        return k.getIssueTime() == null ? Instant.EPOCH : k.getIssueTime().toInstant();
    }

    private static List<RSAKey> load(Path file) {
        OwnerOnlyFiles.openToOthers(file).ifPresent(p -> {
            throw new BatonException(ResultCode.CONFIGURATION, file + " holds private signing keys and must be readable by"
                    + " its owner only (chmod 600), but its mode is " + p);
        });
        try {
            JWKSet set = JWKSet.parse(Files.readString(file));
            List<RSAKey> out = new ArrayList<>();
            for (JWK k : set.getKeys()) {
                if (!(k instanceof RSAKey rsa) || !rsa.isPrivate()) {
                    throw new BatonException(ResultCode.CONFIGURATION, file + ": key " + k.getKeyID() + " is not a private RSA key");
                }
                out.add(rsa);
            }
            out.sort(Comparator.comparing(SigningKeys::issued).reversed());
            return List.copyOf(out);
        } catch (IOException | ParseException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "cannot read the signing keys in " + file + ": " + e.getMessage(), e);
        }
    }
}
