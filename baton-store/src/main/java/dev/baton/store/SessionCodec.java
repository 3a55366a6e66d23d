package dev.baton.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a {@link StoredSession} into the JSON document external stores keep (the {@code session_data}
 * column) and back. Instants are ISO-8601 strings so nothing is rounded. With an {@link AttributeCipher} the
 * user attributes are sealed with AES-GCM (field {@code attributesSealed}) instead of written in clear; a
 * store holding sealed attributes cannot be read without the key.
 *
 * <p>Immutable and thread-safe.
 */
public final class SessionCodec {
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            // a pool shared by all threads: the default is per thread, which virtual threads never reuse
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedBoundedPool()).build())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<Map<String, List<String>>> ATTRIBUTES = new TypeReference<>() { };
    /** Shared by every codec: a gateway reads the same realm, group, owner and role names into every session. */
    private static final Interner SHARED = new Interner();

    private final Optional<AttributeCipher> cipher;

    private SessionCodec(Optional<AttributeCipher> cipher) {
        this.cipher = cipher;
    }

    /** A codec that writes attributes in clear (the default). */
    public static SessionCodec plain() {
        return new SessionCodec(Optional.empty());
    }

    /** A codec that seals attributes with {@code cipher}. */
    public static SessionCodec encrypting(AttributeCipher cipher) {
        return new SessionCodec(Optional.of(cipher));
    }

    /** The JSON form of {@code stored}. */
    public String encode(StoredSession stored) {
        Session s = stored.session();
        String sealed = cipher.map(c -> c.seal(s.hash(), write(s.attributes()))).orElse(null);
        Doc doc = new Doc(1, s.hash().hex(), s.user(), s.realm(),
                s.authGroup() == null ? null : s.authGroup().name(), s.authServerKind().name(), s.roles(),
                sealed == null ? s.attributes() : null, sealed, s.startTime().toString(),
                s.lastActivity().toString(), s.lastHeartbeat().toString(), s.owner(), s.remediation(),
                s.agentKey(), stored.expiryTime().toString());
        return write(doc);
    }

    /**
     * Reads a document written by {@link #encode}.
     *
     * @throws BatonException {@link ResultCode#INTERNAL} if the document is damaged,
     *                        {@link ResultCode#CONFIGURATION} if it is sealed and this codec has no key
     */
    public StoredSession decode(String json) {
        Doc d = read(json, Doc.class);
        SessionIdHash hash = new SessionIdHash(d.hash());
        Map<String, List<String>> attributes = d.attributesSealed() == null ? d.attributes()
                : read(cipher.orElseThrow(() -> new BatonException(ResultCode.CONFIGURATION,
                        "the store holds encrypted session attributes but store.encryption.key is not set"))
                        .open(hash, d.attributesSealed()), ATTRIBUTES);
        Instant start = Instant.parse(d.startTime());
        Instant lastActivity = sameOr(start, d.startTime(), d.lastActivity());
        Session session = new Session(hash, d.user(), SHARED.string(d.realm()), SHARED.group(d.authGroup()),
                AuthServerKind.valueOf(d.authServerKind()), shared(d.roles()), shared(attributes == null ? Map.of() : attributes),
                start, lastActivity, sameOr(lastActivity, d.lastActivity(), d.lastHeartbeat()),
                SHARED.string(d.owner()), d.remediation(), d.agentKey());
        return new StoredSession(session, Instant.parse(d.expiryTime()));
    }

    /** {@code known} (written as {@code knownText}) when {@code text} says the same instant, else it parsed. */
    private static Instant sameOr(Instant known, String knownText, String text) {
        return text.equals(knownText) ? known : Instant.parse(text);
    }

    private static Set<String> shared(Set<String> names) {
        if (names == null) {
            return null; // Session refuses it, naming the field
        }
        Set<String> out = new java.util.HashSet<>();
        names.forEach(n -> out.add(SHARED.string(n)));
        return out;
    }

    private static Map<String, List<String>> shared(Map<String, List<String>> attributes) {
        Map<String, List<String>> out = new java.util.HashMap<>();
        attributes.forEach((name, values) -> out.put(SHARED.string(name), values));
        return out;
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new BatonException(ResultCode.INTERNAL, "cannot serialize session: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String json, Object type) {
        Objects.requireNonNull(json, "json");
        try {
            @SuppressWarnings("unchecked")
            T value = type instanceof TypeReference<?> ref
                    ? (T) JSON.readValue(json, ref) : (T) JSON.readValue(json, (Class<?>) type);
            return value;
        } catch (JsonProcessingException e) {
            throw new BatonException(ResultCode.INTERNAL, "stored session is damaged: " + e.getOriginalMessage(), e);
        }
    }

    /** The stored document; field names are the on-disk format, version 1. */
    record Doc(int v, String hash, String user, String realm, String authGroup, String authServerKind,
               Set<String> roles, Map<String, List<String>> attributes, String attributesSealed, String startTime,
               String lastActivity, String lastHeartbeat, String owner, boolean remediation, String agentKey,
               String expiryTime) {
    }
}
