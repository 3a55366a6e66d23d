package dev.baton.admin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who is calling the admin listener: a client certificate the listener's trust store accepted (its common
 * name mapped by the operators file), else HTTP Basic credentials checked against the operators' Argon2id
 * hashes.
 *
 * <p>An API client sends its password with every call, and a check costs tens of milliseconds and 64 MiB, so
 * a successful check is remembered for {@link #REMEMBER}: keyed by an HMAC of name and password under a key
 * made at start and kept only in memory, never by the password itself. Failures are counted per source
 * address; after {@value #MAX_FAILURES} within {@link #FAILURE_WINDOW} that address is refused without a check
 * until the window passes. Thread-safe.
 */
final class OperatorAuthentication {
    static final Duration REMEMBER = Duration.ofSeconds(60);
    static final int MAX_FAILURES = 10;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(5);

    /** The outcome of one attempt. */
    sealed interface Outcome permits Known, Unknown, Locked {
    }

    record Known(Operator operator) implements Outcome {
    }

    /** No credentials, or wrong ones. */
    record Unknown(boolean credentialsGiven) implements Outcome {
    }

    /** Too many failures from this address lately. */
    record Locked(Duration retryAfter) implements Outcome {
    }

    private final Operators operators;
    private final byte[] cacheKey = new byte[32];
    private final Cache<String, Operator> remembered = Caffeine.newBuilder().maximumSize(1_000)
            .expireAfterWrite(REMEMBER).build();
    private final Cache<String, Integer> failures = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(FAILURE_WINDOW).build();

    OperatorAuthentication(Operators operators) {
        this.operators = operators;
        new SecureRandom().nextBytes(cacheKey);
    }

    Outcome authenticate(X509Certificate[] peer, String authorization, String source) {
        Optional<Operator> byCert = byCertificate(peer);
        if (byCert.isPresent()) {
            return new Known(byCert.get());
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return new Unknown(false);
        }
        Integer failed = failures.getIfPresent(source);
        if (failed != null && failed >= MAX_FAILURES) {
            return new Locked(FAILURE_WINDOW);
        }
        return basic(authorization.substring(6).strip(), source);
    }

    private Outcome basic(String encoded, String source) {
        char[] decoded;
        try {
            java.nio.CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(Base64.getDecoder().decode(encoded)));
            decoded = Arrays.copyOf(chars.array(), chars.limit());
            Arrays.fill(chars.array(), '\0');
        } catch (IllegalArgumentException e) {
            return failed(source);
        }
        try {
            int colon = indexOf(decoded, ':');
            if (colon <= 0 || decoded.length > 1_100) {
                return failed(source);
            }
            String name = new String(decoded, 0, colon);
            char[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
            try {
                return check(name, password, source);
            } finally {
                Arrays.fill(password, '\0');
            }
        } finally {
            Arrays.fill(decoded, '\0');
        }
    }

    /** The operator a trusted client certificate names, or empty. */
    Optional<Operator> byCertificate(X509Certificate[] peer) {
        return peer == null || peer.length == 0 ? Optional.empty()
                : dev.baton.http.tls.Certificates.commonName(peer[0]).flatMap(operators::byCertificate);
    }

    /**
     * A name and password from the console's sign-in form, under the same per-address lockout as HTTP Basic.
     * The caller clears {@code password}.
     */
    Outcome password(String name, char[] password, String source) {
        Integer failed = failures.getIfPresent(source);
        if (failed != null && failed >= MAX_FAILURES) {
            return new Locked(FAILURE_WINDOW);
        }
        if (name == null || name.isEmpty() || password.length == 0 || name.length() + password.length > 1_100) {
            return failed(source);
        }
        return check(name, password, source);
    }

    private Outcome check(String name, char[] password, String source) {
        String key = mac(name, password);
        Operator known = remembered.getIfPresent(key);
        if (known == null) {
            known = operators.authenticate(name, password).orElse(null);
            if (known == null) {
                return failed(source);
            }
            remembered.put(key, known);
        }
        return new Known(known);
    }

    private Outcome failed(String source) {
        failures.asMap().merge(source, 1, Integer::sum);
        return new Unknown(true);
    }

    private static int indexOf(char[] chars, char c) {
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private String mac(String name, char[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            mac.update(name.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            java.nio.ByteBuffer pw = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
            try {
                mac.update(pw);
                return HexFormat.of().formatHex(mac.doFinal());
            } finally {
                Arrays.fill(pw.array(), (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
