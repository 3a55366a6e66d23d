package dev.baton.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's signed-in operators: a 256-bit random token in the {@code baton-console} cookie, of which
 * only the SHA-256 hash is kept here, each with its own synchronizer token for forms. A session ends after
 * {@link #IDLE} without a request or {@link #ABSOLUTE} after sign-in, whichever comes first; the table holds
 * at most {@value #MAX_SESSIONS}, and a new sign-in beyond that ends the least recently used. Thread-safe.
 */
final class ConsoleSessions {
    static final Duration IDLE = Duration.ofMinutes(15);
    static final Duration ABSOLUTE = Duration.ofHours(8);
    static final int MAX_SESSIONS = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One signed-in operator; {@code csrf} goes in every form it is shown. */
    static final class Entry {
        final Operator operator;
        final String csrf;
        final Instant signedIn;
        Instant lastUsed;

        Entry(Operator operator, String csrf, Instant signedIn) {
            this.operator = operator;
            this.csrf = csrf;
            this.signedIn = signedIn;
            this.lastUsed = signedIn;
        }

        /** Whether {@code given} is this session's form token, compared in constant time. */
        boolean csrfMatches(String given) {
            return given != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.US_ASCII),
                    given.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A new session: the token for the cookie (never stored) and the entry. */
    record Created(String token, Entry entry) {
    }

    private final InstantSource clock;
    private final Map<String, Entry> byHash = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ConsoleSessions.Entry> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    ConsoleSessions(InstantSource clock) {
        this.clock = clock;
    }

    Created create(Operator operator) {
        String token = randomToken();
        Entry entry = new Entry(operator, randomToken(), clock.instant());
        synchronized (byHash) {
            byHash.put(hash(token), entry);
        }
        return new Created(token, entry);
    }

    /** The live session of this cookie value, touched; empty (and forgotten) once timed out. */
    Optional<Entry> find(String token) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        String key = hash(token);
        Instant now = clock.instant();
        synchronized (byHash) {
            Entry e = byHash.get(key);
            if (e == null) {
                return Optional.empty();
            }
            if (now.isAfter(e.lastUsed.plus(IDLE)) || now.isAfter(e.signedIn.plus(ABSOLUTE))) {
                byHash.remove(key);
                return Optional.empty();
            }
            e.lastUsed = now;
            return Optional.of(e);
        }
    }

    void remove(String token) {
        if (token != null) {
            synchronized (byHash) {
                byHash.remove(hash(token));
            }
        }
    }

    int size() {
        synchronized (byHash) {
            return byHash.size();
        }
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
