package dev.baton.store.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.DeleteRequest;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.controls.AssertionRequestControl;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import dev.baton.core.BatonException;
import dev.baton.core.SessionIdHash;
import dev.baton.store.AttributeCipher;
import dev.baton.store.ExpiredBatch;
import dev.baton.store.SessionCodec;
import dev.baton.store.SessionStore;
import dev.baton.store.StoredSession;
import dev.baton.store.TimestampColumn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Sessions as {@code batonSession} entries under a base DN, through a pool of LDAP connections that fails
 * over between the configured directory servers in order (the UnboundID LDAP SDK's
 * {@link com.unboundid.ldap.sdk.FailoverServerSet}; see {@link DirectoryPool}), over LDAPS or StartTLS unless
 * plain LDAP was asked for ({@link LdapTls}). One entry per session, named by the hash of its id.
 *
 * <p>With {@code store.encryption.key} the user attributes in each entry's session data are sealed with
 * AES-GCM by the same {@link AttributeCipher} the SQL stores use; a session sealed with another key, or
 * altered, fails to load instead of yielding garbage, and {@link #connect} already refuses a key that opens
 * none of a sample of stored sessions.
 *
 * <p>Thread-safe: every call borrows its own pooled connection. Failures reaching the directory are
 * {@link BatonException}s with {@code UNAVAILABLE}; a directory without the Baton schema yields
 * {@code CONFIGURATION}.
 */
public final class LdapSessionStore implements SessionStore {
    private static final Logger LOG = LoggerFactory.getLogger(LdapSessionStore.class);
    private static final int PAGE_SIZE = 1000;
    /** Stored sessions read at connect to check the encryption key against. */
    private static final int KEY_CHECK_SAMPLE = 5;

    private final LDAPConnectionPool pool;
    private final SessionEntries entries;
    private final int pageSize;

    private LdapSessionStore(LDAPConnectionPool pool, DN baseDn, SessionCodec codec, int pageSize) {
        this.pool = pool;
        this.entries = new SessionEntries(baseDn, codec);
        this.pageSize = pageSize;
    }

    /**
     * Connects, creates the base entry (an {@code organizationalUnit}) if it is missing, and checks the
     * encryption key (or its absence) against a few stored sessions.
     *
     * @throws BatonException {@code UNAVAILABLE} if no server answers, {@code CONFIGURATION} for a bad base DN,
     *                        credentials, truststore or certificate, or for sessions the key does not open
     */
    public static LdapSessionStore connect(LdapStoreSettings settings) {
        return connect(settings, PAGE_SIZE);
    }

    /** As {@link #connect(LdapStoreSettings)}, reading long result lists {@code pageSize} entries at a time. */
    static LdapSessionStore connect(LdapStoreSettings settings, int pageSize) {
        LOG.info("Connecting session store: {}", settings);
        DN baseDn = parseDn(settings.baseDn());
        LDAPConnectionPool pool = DirectoryPool.open(settings);
        SessionCodec codec = settings.encrypted()
                ? SessionCodec.encrypting(AttributeCipher.fromBase64Key(settings.encryptionKey())) : SessionCodec.plain();
        LdapSessionStore store = new LdapSessionStore(pool, baseDn, codec, pageSize);
        try {
            Containers.ensureExists(pool, baseDn);
            store.checkKeyOpensStoredSessions();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return store;
    }

    /**
     * Reads up to {@link #KEY_CHECK_SAMPLE} stored sessions and fails if none of them can be read with this
     * store's key, or lack of one: a gateway started with the wrong key (or none) then stops at once with the
     * reason, rather than failing on every restored session later. One readable session is enough, so a single
     * damaged entry does not keep the store from opening; loads still fail on any session the key does not open.
     */
    private void checkKeyOpensStoredSessions() {
        SearchRequest request = new SearchRequest(entries.baseDn().toString(), SearchScope.ONE, SessionEntries.isSession(),
                SessionEntries.DATA);
        request.setSizeLimit(KEY_CHECK_SAMPLE);
        List<SearchResultEntry> sample;
        try {
            sample = pool.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
                throw LdapFailures.translate("reading stored sessions to check store.encryption.key", e);
            }
            sample = e.getSearchEntries();
        }
        BatonException failure = null;
        for (SearchResultEntry entry : sample) {
            try {
                entries.fromEntry(entry);
                return;
            } catch (BatonException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new BatonException(dev.baton.core.ResultCode.CONFIGURATION, "none of " + sample.size()
                    + " sessions stored under " + entries.baseDn() + " can be read with this store.encryption.key"
                    + " setting (wrong key, or key missing?): " + failure.getMessage(), failure);
        }
    }

    static DN parseDn(String dn) {
        try {
            return new DN(dn);
        } catch (LDAPException e) {
            throw LdapStoreSettings.config("baseDn", "is not a valid DN: '" + dn + "'");
        }
    }

    @Override
    public Optional<StoredSession> load(SessionIdHash hash) {
        try {
            Entry entry = pool.getEntry(entries.dnOf(hash).toString(), SessionEntries.DATA);
            return Optional.ofNullable(entry).map(entries::fromEntry);
        } catch (LDAPException e) {
            throw LdapFailures.translate("loading session " + hash.abbreviated(), e);
        }
    }

    @Override
    public void store(StoredSession session) {
        // Adding first: a new session is the common case on sign-in; a known one is replaced in place. Another
        // gateway may delete the entry between a refused add and the replace, or add it between a replace that found
        // nothing and the next add: each case goes round again (a few times at most: each turn is someone's write).
        for (int attempt = 0; ; attempt++) {
            try {
                pool.add(entries.toEntry(session));
                return;
            } catch (LDAPException e) {
                if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                    throw LdapFailures.translate("storing session " + session.session().hash().abbreviated(), e);
                }
            }
            if (replace(session)) {
                return;
            }
            if (attempt == 8) {
                throw new BatonException(dev.baton.core.ResultCode.CONFLICT, "storing session "
                        + session.session().hash().abbreviated() + " failed: the entry was added and deleted by others"
                        + " nine times while this write tried");
            }
        }
    }

    /** Replaces the entry's attributes; false if the entry is gone. */
    private boolean replace(StoredSession session) {
        try {
            pool.modify(entries.dnOf(session.session().hash()).toString(), entries.replacements(session));
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return false;
            }
            throw LdapFailures.translate("replacing session " + session.session().hash().abbreviated(), e);
        }
    }

    @Override
    public boolean delete(SessionIdHash hash) {
        return deleteEntry(entries.dnOf(hash).toString());
    }

    /**
     * Deletes the session only if {@code owner} owns it, in one operation: the delete carries an LDAP assertion
     * control (RFC 4528) on the owner attribute, so the directory checks the owner and deletes atomically. A load,
     * compare and delete would remove a copy another gateway wrote in between (SessionStoreContractTest races it).
     */
    @Override
    public boolean deleteOwned(SessionIdHash hash, String owner) {
        DeleteRequest request = new DeleteRequest(entries.dnOf(hash).toString());
        request.addControl(new AssertionRequestControl(Filter.createEqualityFilter(SessionEntries.OWNER, owner)));
        try {
            pool.delete(request);
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT || e.getResultCode() == ResultCode.ASSERTION_FAILED) {
                return false; // gone, or owned by another gateway now
            }
            throw LdapFailures.translate("deleting session " + hash.abbreviated() + " owned by " + owner, e);
        }
    }

    /** Deletes one entry by DN; false if it was already gone (another purger, a sign-out). */
    boolean deleteEntry(String dn) {
        try {
            pool.delete(dn);
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return false;
            }
            throw LdapFailures.translate("deleting " + dn, e);
        }
    }

    @Override
    public List<StoredSession> loadOwnedBy(String gateway, Instant now, int limit) {
        return liveSessions(SessionEntries.ownedAndLive(gateway, now), now, limit);
    }

    private List<StoredSession> liveSessions(Filter filter, Instant now, int limit) {
        // No server-side sorting is assumed (OpenLDAP needs an overlay for it): sort here, latest expiry first.
        List<StoredSession> owned = new ArrayList<>();
        forEachEntry(filter, e -> owned.add(entries.fromEntry(e)), SessionEntries.DATA);
        return owned.stream()
                .filter(s -> s.expiryTime().isAfter(now))
                .sorted(Comparator.comparing(StoredSession::expiryTime).reversed())
                .limit(limit)
                .toList();
    }

    /**
     * Sessions of {@code user} whose expiry is after {@code now}, on any gateway, latest expiry first.
     *
     * @param limit at most this many
     */
    @Override
    public List<StoredSession> loadByUser(String user, Instant now, int limit) {
        return liveSessions(SessionEntries.userAndLive(user, now), now, limit);
    }

    /**
     * Deletes the oldest {@code batchSize} sessions whose {@code column} lies in [{@code from}, {@code cutoff}), as
     * the SPI says. A directory returns entries in no particular order (OpenLDAP sorts only with an overlay), so the
     * range is read whole, page by page, with just the column, and sorted here; each batch costs a scan of what is
     * left in the range. Directories are cleaned by {@link DirectoryPurgeTask} (S5), which needs no order; this is
     * for the SPI's other callers.
     */
    @Override
    public ExpiredBatch deleteExpired(TimestampColumn column, Instant from, Instant cutoff, int batchSize) {
        String attribute = SessionEntries.attributeOf(column);
        List<Map.Entry<Instant, String>> candidates = new ArrayList<>();
        forEachEntry(SessionEntries.between(column, from, cutoff), e -> candidates.add(
                Map.entry(SessionEntries.instant(e.getAttributeValue(attribute)), e.getDN())), attribute);
        candidates.sort(Map.Entry.comparingByKey());
        int deleted = 0;
        Instant newest = from;
        for (Map.Entry<Instant, String> c : candidates.subList(0, Math.min(batchSize, candidates.size()))) {
            if (deleteEntry(c.getValue())) {
                deleted++;
            }
            newest = c.getKey();
        }
        return new ExpiredBatch(deleted, newest);
    }

    /** Deletes at most {@code batchSize} sessions whose {@code column} is before {@code cutoff}; returns how many. */
    public int deleteExpired(TimestampColumn column, Instant cutoff, int batchSize) {
        int deleted = 0;
        for (String dn : findExpired(column, cutoff, batchSize)) {
            if (deleteEntry(dn)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** DNs of at most {@code limit} sessions whose {@code column} is before {@code cutoff}. */
    List<String> findExpired(TimestampColumn column, Instant cutoff, int limit) {
        return findExpired(column, cutoff, limit, null);
    }

    private List<String> findExpired(TimestampColumn column, Instant cutoff, int limit, Instant from) {
        com.unboundid.ldap.sdk.Filter filter = from == null ? SessionEntries.before(column, cutoff)
                : SessionEntries.between(column, from, cutoff);
        SearchRequest request = new SearchRequest(entries.baseDn().toString(), SearchScope.ONE,
                filter, SearchRequest.NO_ATTRIBUTES);
        request.setSizeLimit(limit);
        try {
            return dns(pool.search(request));
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return dns(e.getSearchResult()); // the server sent exactly {@code limit} entries
            }
            throw LdapFailures.translate("searching expired sessions", e);
        }
    }

    private static List<String> dns(SearchResult result) {
        return result.getSearchEntries().stream().map(SearchResultEntry::getDN).toList();
    }

    @Override
    public long countExpired(TimestampColumn column, Instant cutoff) {
        long[] count = {0};
        forEachEntry(SessionEntries.before(column, cutoff), e -> count[0]++, SearchRequest.NO_ATTRIBUTES);
        return count[0];
    }

    /**
     * Hands the DNs of sessions whose {@code column} is before {@code cutoff} to {@code page}, {@code pageSize}
     * at a time, until there are no more or {@code page} returns false. For the purge task: one search for a
     * whole pass, so deletes need not wait for a new search after every batch.
     */
    void scanExpired(TimestampColumn column, Instant cutoff, int pageSize, Predicate<List<String>> page) {
        forEachPage(SessionEntries.before(column, cutoff), pageSize,
                entries -> page.test(entries.stream().map(Entry::getDN).toList()), SearchRequest.NO_ATTRIBUTES);
    }

    private void forEachEntry(Filter filter, Consumer<Entry> action, String... attributes) {
        forEachPage(filter, pageSize, entries -> {
            entries.forEach(action);
            return true;
        }, attributes);
    }

    /**
     * Runs a one-level search page by page, so no server size limit cuts it short, until {@code page} returns
     * false. All pages go over one connection: servers (OpenLDAP among them) tie the paging cookie to the
     * connection it was issued on.
     */
    private void forEachPage(Filter filter, int size, Predicate<List<SearchResultEntry>> page, String... attributes) {
        SearchRequest request = new SearchRequest(entries.baseDn().toString(), SearchScope.ONE, filter, attributes);
        LDAPConnection connection = null;
        try {
            connection = pool.getConnection();
            com.unboundid.asn1.ASN1OctetString cookie = null;
            boolean more;
            do {
                request.setControls(new SimplePagedResultsControl(size, cookie));
                SearchResult result = connection.search(request);
                SimplePagedResultsControl response = SimplePagedResultsControl.get(result);
                cookie = response == null || !response.moreResultsToReturn() ? null : response.getCookie();
                more = page.test(result.getSearchEntries()) && cookie != null;
            } while (more);
            pool.releaseConnection(connection);
        } catch (LDAPException e) {
            if (connection != null) {
                pool.releaseConnectionAfterException(connection, e);
            }
            throw LdapFailures.translate("searching " + filter, e);
        } catch (RuntimeException e) {
            pool.releaseConnection(connection);
            throw e;
        }
    }

    /** The pool, for the purge task of the same directory. */
    LDAPConnectionPool pool() {
        return pool;
    }

    /** The base DN sessions live under. */
    DN baseDn() {
        return entries.baseDn();
    }

    @Override
    public void close() {
        pool.close();
    }
}
