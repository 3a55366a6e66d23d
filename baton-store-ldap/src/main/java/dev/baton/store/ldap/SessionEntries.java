package dev.baton.store.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.util.StaticUtils;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.store.SessionCodec;
import dev.baton.store.StoredSession;
import dev.baton.store.TimestampColumn;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The mapping between stored sessions and {@code batonSession} entries
 * ({@code batonSessionIdHash=HEX,BASE}). The searchable attributes hold generalizedTime with millisecond
 * precision; the session itself, with full precision, is the JSON in {@code batonSessionData}, in the form the
 * SQL stores write (baton-store's {@link SessionCodec}), so with a key its user attributes are sealed the same
 * way. The searchable attributes (user, realm, group, owner, times) stay in clear: the store searches on them.
 */
final class SessionEntries {
    static final String OBJECT_CLASS = "batonSession";
    static final String HASH = "batonSessionIdHash";
    static final String USER = "batonUser";
    static final String REALM = "batonRealm";
    static final String AUTH_GROUP = "batonAuthGroup";
    static final String OWNER = "batonOwner";
    static final String START = "batonStartTime";
    static final String LAST_ACTIVITY = "batonLastActivityTime";
    static final String EXPIRY = "batonExpiryTime";
    static final String DATA = "batonSessionData";

    private final DN baseDn;
    private final SessionCodec codec;

    SessionEntries(DN baseDn, SessionCodec codec) {
        this.baseDn = baseDn;
        this.codec = codec;
    }

    DN baseDn() {
        return baseDn;
    }

    DN dnOf(SessionIdHash hash) {
        return new DN(new RDN(HASH, hash.hex()), baseDn);
    }

    Entry toEntry(StoredSession stored) {
        Entry entry = new Entry(dnOf(stored.session().hash()));
        entry.addAttribute("objectClass", "top", OBJECT_CLASS);
        entry.addAttribute(HASH, stored.session().hash().hex());
        attributes(stored).forEach(entry::addAttribute);
        return entry;
    }

    /** Replaces everything but the RDN; an absent auth group removes the attribute. */
    List<Modification> replacements(StoredSession stored) {
        List<Modification> mods = new ArrayList<>();
        attributes(stored).forEach(a -> mods.add(new Modification(ModificationType.REPLACE, a.getName(), a.getRawValues())));
        if (stored.session().authGroup() == null) {
            mods.add(new Modification(ModificationType.REPLACE, AUTH_GROUP));
        }
        return mods;
    }

    private List<Attribute> attributes(StoredSession stored) {
        Session s = stored.session();
        List<Attribute> attributes = new ArrayList<>(List.of(
                new Attribute(USER, s.user()),
                new Attribute(REALM, s.realm()),
                new Attribute(OWNER, s.owner()),
                new Attribute(START, time(s.startTime())),
                new Attribute(LAST_ACTIVITY, time(s.lastActivity())),
                new Attribute(EXPIRY, time(stored.expiryTime())),
                new Attribute(DATA, codec.encode(stored).getBytes(StandardCharsets.UTF_8))));
        if (s.authGroup() != null) {
            attributes.add(new Attribute(AUTH_GROUP, s.authGroup().name()));
        }
        return attributes;
    }

    /**
     * The session in {@code entry}.
     *
     * @throws BatonException {@code INTERNAL} if the entry is damaged or its attributes do not open with the key
     *                        (another key, altered data); {@code CONFIGURATION} if they are sealed and no key is set
     */
    StoredSession fromEntry(Entry entry) {
        byte[] data = entry.getAttributeValueBytes(DATA);
        if (data == null) {
            throw new BatonException(ResultCode.INTERNAL, "stored session " + entry.getDN() + " has no " + DATA);
        }
        try {
            return codec.decode(new String(data, StandardCharsets.UTF_8));
        } catch (BatonException e) {
            throw new BatonException(e.code(), "stored session " + entry.getDN() + " cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new BatonException(ResultCode.INTERNAL,
                    "stored session " + entry.getDN() + " has unreadable " + DATA + ": " + e.getMessage(), e);
        }
    }

    static String attributeOf(TimestampColumn column) {
        return switch (column) {
            case EXPIRY_TIME -> EXPIRY;
            case LAST_ACTIVITY_TIME -> LAST_ACTIVITY;
        };
    }

    /** Sessions whose {@code column}, as stored (milliseconds), is strictly before {@code cutoff}. */
    static Filter before(TimestampColumn column, Instant cutoff) {
        Instant bound = cutoff.truncatedTo(ChronoUnit.MILLIS);
        if (bound.equals(cutoff)) {
            bound = bound.minusMillis(1); // LDAP has only <=, and stored values are whole milliseconds
        }
        return Filter.createANDFilter(isSession(), Filter.createLessOrEqualFilter(attributeOf(column), time(bound)));
    }

    /** Sessions whose {@code column} is at or after {@code from} and before {@code cutoff}. */
    static Filter between(TimestampColumn column, Instant from, Instant cutoff) {
        return Filter.createANDFilter(before(column, cutoff),
                Filter.createGreaterOrEqualFilter(attributeOf(column), time(from.truncatedTo(ChronoUnit.MILLIS))));
    }

    /** Sessions of {@code gateway} whose expiry is strictly after {@code now}. */
    static Filter ownedAndLive(String gateway, Instant now) {
        return Filter.createANDFilter(isSession(), Filter.createEqualityFilter(OWNER, gateway), notExpiredBy(now));
    }

    /** Sessions of {@code user} whose expiry is strictly after {@code now}. */
    static Filter userAndLive(String user, Instant now) {
        return Filter.createANDFilter(isSession(), Filter.createEqualityFilter(USER, user), notExpiredBy(now));
    }

    private static Filter notExpiredBy(Instant now) {
        return Filter.createNOTFilter(Filter.createLessOrEqualFilter(EXPIRY, time(now.truncatedTo(ChronoUnit.MILLIS))));
    }

    static Filter isSession() {
        return Filter.createEqualityFilter("objectClass", OBJECT_CLASS);
    }

    /** generalizedTime in UTC with milliseconds, e.g. {@code 20261123011500.123Z}. */
    static String time(Instant instant) {
        return StaticUtils.encodeGeneralizedTime(Date.from(instant));
    }

    /** The instant of a generalizedTime value as {@link #time} writes it. */
    static Instant instant(String generalizedTime) {
        try {
            return StaticUtils.decodeGeneralizedTime(generalizedTime).toInstant();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("not a generalizedTime: " + generalizedTime, e);
        }
    }
}
