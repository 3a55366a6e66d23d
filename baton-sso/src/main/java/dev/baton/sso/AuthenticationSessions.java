package dev.baton.sso;

import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.Session;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.core.SessionOptions;
import dev.baton.core.TimeoutRules;
import dev.baton.gateway.Credentials;
import dev.baton.gateway.GatewayConfig;
import dev.baton.store.SessionFilter;
import dev.baton.store.SessionPage;
import dev.baton.store.SessionStore;
import dev.baton.store.StoredSession;
import dev.baton.store.TieredSessionStore;
import dev.baton.store.TieredStoreSettings;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Browser authentication sessions: what decides whether a browser that signed in before gets a code without a
 * sign-in page. They are {@link Session}s in the gateway's own session store (memory, H2, PostgreSQL, MariaDB or
 * LDAP), owned by {@code <gateway>/sso} (a name no gateway can have), so the gateway's database cleanup and
 * directory purge remove them like agent sessions, while the gateway's agent API and the federation never see
 * them: the agent tier loads only sessions its gateway owns. A memory tier in front answers the single sign-on
 * path without a store read; activity is written coalesced, sign-ins and sign-outs at once.
 *
 * <p>Only the SHA-256 hash of the cookie's id is kept. Idle timeout and maximum length are the session's roles'
 * ({@link SessionOptions} of the gateway's access policy), as for an agent session on a remote-access gateway.
 */
final class AuthenticationSessions implements AutoCloseable {
    /** The owner suffix that marks a stored session as a browser's. */
    static final String OWNER_SUFFIX = "/sso";
    static final String ATTR_PERSISTENT = "baton.sso.persistent";
    static final String ATTR_AMR = "baton.sso.amr";
    static final String ATTR_CLIENTS = "baton.sso.clients";

    private final GatewayConfig gateway;
    private final SessionStore store;
    private final String owner;
    private final InstantSource clock;
    private final TieredSessionStore tier;

    AuthenticationSessions(GatewayConfig gateway, SessionStore store, TieredStoreSettings settings, InstantSource clock,
                           MeterRegistry registry) {
        this.gateway = gateway;
        this.store = store;
        this.owner = gateway.name() + OWNER_SUFFIX;
        this.clock = clock;
        this.tier = new TieredSessionStore(store, settings, owner, clock, registry);
    }

    /** The owner name of this gateway's browser sessions in the store. */
    String owner() {
        return owner;
    }

    /** A session just started, and the id only its browser's cookie carries. */
    record Started(SessionId id, Session session) {
    }

    /**
     * Starts a session for a user who just signed in; {@code carried} are the clients of the session this one
     * replaces (a re-authentication of the same user), so that a later sign-out still reaches them.
     */
    Started start(Credentials.Verified who, boolean persistent, String amr, List<String> carried) {
        SessionId id = SessionId.generate();
        Map<String, List<String>> attributes = new HashMap<>(who.facts());
        attributes.keySet().removeIf(k -> k.startsWith("baton.sso."));
        attributes.put(ATTR_PERSISTENT, List.of(Boolean.toString(persistent)));
        attributes.put(ATTR_AMR, List.of(amr));
        attributes.put(ATTR_CLIENTS, List.copyOf(carried));
        var realm = who.binding().realm();
        Session s = Session.start(id.hash(), who.user(), realm.name(), realm.authGroup(), realm.kind(),
                who.decision().roles(), attributes, clock.instant(), owner).withRoles(who.decision().roles(), who.decision().remediation());
        tier.put(new StoredSession(s, deadline(s)));
        return new Started(id, s);
    }

    /**
     * The live session a cookie names, its activity recorded; empty for a missing, malformed, unknown, revoked
     * or expired one (an expired one is removed).
     */
    Optional<Session> find(String cookie) {
        if (cookie == null || cookie.length() != SessionId.ENCODED_LENGTH) {
            return Optional.empty();
        }
        SessionIdHash hash;
        try {
            hash = SessionId.hashOf(cookie);
        } catch (BatonException malformed) {
            return Optional.empty();
        }
        return live(hash).map(s -> {
            Session touched = s.touchedAt(clock.instant());
            tier.touch(new StoredSession(touched, deadline(touched)));
            return touched;
        });
    }

    /** The live session with that hash, without recording activity. */
    Optional<Session> live(SessionIdHash hash) {
        Optional<Session> s = tier.get(hash).map(StoredSession::session);
        if (s.isPresent() && verdict(s.get()) != TimeoutRules.Verdict.ALIVE) {
            tier.remove(hash);
            return Optional.empty();
        }
        return s;
    }

    /** Why the session is no longer alive, or ALIVE. */
    TimeoutRules.Verdict verdict(Session s) {
        return TimeoutRules.verdictAt(s, options(s), GatewayKind.REMOTE_ACCESS, clock.instant());
    }

    /** Records that {@code client} was given tokens in this session, for a later back-channel logout. */
    Session joined(Session s, String client) {
        List<String> clients = s.attributes().getOrDefault(ATTR_CLIENTS, List.of());
        if (clients.contains(client)) {
            return s;
        }
        List<String> more = new ArrayList<>(clients);
        more.add(client);
        Map<String, List<String>> attributes = new HashMap<>(s.attributes());
        attributes.put(ATTR_CLIENTS, more);
        Session next = new Session(s.hash(), s.user(), s.realm(), s.authGroup(), s.authServerKind(), s.roles(), attributes,
                s.startTime(), s.lastActivity(), s.lastHeartbeat(), s.owner(), s.remediation(), s.agentKey());
        tier.put(new StoredSession(next, deadline(next)));
        return next;
    }

    /** Ends a session (sign-out, revocation, re-authentication); the ended one, if it was alive. */
    Optional<Session> end(SessionIdHash hash) {
        Optional<Session> s = tier.get(hash).map(StoredSession::session);
        tier.remove(hash);
        return s;
    }

    /** When the session ends if nothing more happens: idle timeout after the last request, or its maximum length. */
    Instant deadline(Session s) {
        return TimeoutRules.deadline(s, options(s), GatewayKind.REMOTE_ACCESS);
    }

    /** How long a persistent session's cookie is kept by the browser (until its maximum length); empty for a browser-session cookie. */
    Optional<Duration> cookieLifetime(Session s) {
        if (!persistent(s)) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), TimeoutRules.maxLengthDeadline(s, options(s)));
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    static boolean persistent(Session s) {
        return s.attributes().getOrDefault(ATTR_PERSISTENT, List.of()).contains("true");
    }

    static List<String> clients(Session s) {
        return s.attributes().getOrDefault(ATTR_CLIENTS, List.of());
    }

    private SessionOptions options(Session s) {
        return gateway.access().optionsFor(s.roles());
    }

    /** A page of this gateway's live browser sessions that {@code filter} selects, from storage. */
    SessionPage page(SessionFilter filter, Optional<SessionPage.Cursor> after, int limit) {
        return store.find(filter.withOwner(owner), clock.instant(), after, limit);
    }

    /** How many live browser sessions of this gateway {@code filter} selects. */
    long count(SessionFilter filter) {
        return store.count(filter.withOwner(owner), clock.instant());
    }

    /** Writes coalesced activity and evicts expired sessions on {@code scheduler}. */
    void start(ScheduledExecutorService scheduler) {
        tier.start(scheduler);
    }

    /** Writes what is pending. */
    @Override
    public void close() {
        tier.close();
    }
}
