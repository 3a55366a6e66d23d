package dev.baton.gateway.auth;

import dev.baton.gateway.Authenticator;
import org.apache.commons.codec.digest.Crypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A NIS (YP) domain behind a realm, read through {@link NisMaps}. Passwords are checked against the
 * crypt(3) hash in the passwd map; SHA-512 ({@code $6$}) and SHA-256 ({@code $5$}) hashes, with or
 * without {@code rounds=}, are verified with Apache Commons Codec's {@link Crypt}, compared in constant
 * time. Any other format (DES, MD5 {@code $1$}, bcrypt, yescrypt {@code $y$}), an empty hash, and locked
 * or shadowed markers ({@code *}, {@code !...}, {@code x}) never sign in; a warning names the account.
 *
 * <p>Entries carry {@code uid}, {@code gid}, {@code gecos}, {@code home}, {@code shell} and {@code groups}
 * for role mapping. {@link #find} answers from the maps, so a migrated session is accepted only if the
 * user is in the passwd map (F6). Thread-safe if the maps are.
 */
public final class NisAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(NisAuthenticator.class);
    /** Checked for unknown users so that they take as long as known ones. */
    private static final String DECOY = "$6$baton.decoy$";

    private final NisMaps maps;

    /** Reads users and groups from {@code maps}. */
    public NisAuthenticator(NisMaps maps) {
        this.maps = java.util.Objects.requireNonNull(maps, "maps");
    }

    /** Reads the map files named by a configuration. */
    public static NisAuthenticator fromFiles(NisConfig config) {
        LOG.info("NIS authentication server configured: {}", config);
        return new NisAuthenticator(new NisMapFiles(config.passwdMap(), config.groupMap()));
    }

    @Override
    public Optional<Entry> authenticate(String username, char[] password) {
        if (username == null || username.isBlank() || password == null || password.length == 0) {
            return Optional.empty();
        }
        Optional<NisMaps.PasswdEntry> user = maps.passwd(username);
        if (user.isEmpty()) {
            matches(DECOY, password);
            return Optional.empty();
        }
        return matches(user.get().hash(), password) ? Optional.of(entry(user.get())) : Optional.empty();
    }

    @Override
    public Optional<Entry> find(String username) {
        return username == null || username.isBlank() ? Optional.empty() : maps.passwd(username).map(this::entry);
    }

    private boolean matches(String hash, char[] password) {
        if (!hash.startsWith("$6$") && !hash.startsWith("$5$")) {
            LOG.warn("NIS account hash format '{}' cannot be verified here (only $5$ and $6$ are); the sign-in is refused",
                    hash.length() < 3 ? hash : hash.substring(0, 3));
            return false;
        }
        byte[] key = Passwords.utf8(password);
        try {
            // The stored hash doubles as the salt specification: crypt(3) reads its $id$, rounds and salt.
            String computed = Crypt.crypt(key, hash);
            return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException malformed) {
            LOG.warn("NIS account has a malformed {} hash; the sign-in is refused", hash.substring(0, 3));
            return false;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private Entry entry(NisMaps.PasswdEntry user) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        attributes.put("uid", List.of(Long.toString(user.uid())));
        attributes.put("gid", List.of(Long.toString(user.gid())));
        attributes.put("gecos", List.of(user.gecos()));
        attributes.put("home", List.of(user.home()));
        attributes.put("shell", List.of(user.shell()));
        attributes.put("groups", maps.groupsOf(user));
        return new Entry(user.name(), attributes);
    }
}
