package dev.baton.gateway.admin;

import dev.baton.admin.AdminCall;
import dev.baton.admin.AdminException;
import dev.baton.admin.ApiRoute;
import dev.baton.admin.AuditLog;
import dev.baton.admin.OperatorRole;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.gateway.Gateway;
import dev.baton.store.CleanupProgress;
import dev.baton.store.CleanupReport;
import dev.baton.store.CleanupTask;
import dev.baton.store.SessionFilter;
import dev.baton.store.SessionPage;
import dev.baton.store.StoredSession;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A gateway's part of the admin API (docs/operations.md): its sessions, paged and filtered, one session's
 * detail, counts, and revocation of one session or of a user's sessions here. Sessions are named by the
 * SHA-256 hash of their id; no answer ever carries an id or an agent key.
 */
public final class GatewayAdmin {
    /** Sessions in one page, at most. */
    static final int MAX_PAGE = 500;
    /** A role filter reads pages until it has a page's worth of matches or has looked at this many. */
    static final int MAX_ROLE_SCAN = 10_000;

    private final Sessions gateway;
    private final String base;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Optional<CleanupTask> cleanup;

    /**
     * The sessions an admin API lists and revokes: a gateway's agent sessions, or its browser authentication
     * sessions. Reads come from storage; a revocation ends the session wherever it must end.
     */
    public interface Sessions {
        /** The gateway's name, in every answer. */
        String name();

        /** A page of the live sessions {@code filter} selects. */
        SessionPage sessions(SessionFilter filter, Optional<SessionPage.Cursor> after, int limit);

        /** How many live sessions {@code filter} selects. */
        long countSessions(SessionFilter filter);

        /** The live session with that hash. */
        Optional<Session> session(SessionIdHash hash);

        /** Ends the session; false if there was no live one. */
        boolean revoke(SessionIdHash hash);
    }

    /** @param cleanup the storage's cleanup task, when this gateway's storage has one */
    public GatewayAdmin(Gateway gateway, AuditLog audit, InstantSource clock, Optional<CleanupTask> cleanup) {
        this(new Sessions() {
            public String name() {
                return gateway.name();
            }

            public SessionPage sessions(SessionFilter filter, Optional<SessionPage.Cursor> after, int limit) {
                return gateway.sessions(filter, after, limit);
            }

            public long countSessions(SessionFilter filter) {
                return gateway.countSessions(filter);
            }

            public Optional<Session> session(SessionIdHash hash) {
                return gateway.session(hash);
            }

            public boolean revoke(SessionIdHash hash) {
                return gateway.revoke(hash);
            }
        }, "/sessions", audit, clock, cleanup);
    }

    /**
     * The admin API of {@code sessions} under {@code base} (list, count, detail, revoke one, and a user's at
     * {@code base/users/{user}/revoke}, or {@code /users/{user}/revoke} for a gateway's agent sessions).
     */
    public GatewayAdmin(Sessions sessions, String base, AuditLog audit, InstantSource clock, Optional<CleanupTask> cleanup) {
        this.gateway = sessions;
        this.base = base;
        this.audit = audit;
        this.clock = clock;
        this.cleanup = cleanup;
    }

    /** The routes to give the admin listener. */
    public List<ApiRoute> routes() {
        List<ApiRoute> routes = new ArrayList<>(List.of(
                new ApiRoute("GET", base, OperatorRole.AUDITOR, this::list),
                new ApiRoute("GET", base + "/count", OperatorRole.AUDITOR, this::count),
                new ApiRoute("GET", base + "/{hash}", OperatorRole.AUDITOR, this::detail),
                new ApiRoute("POST", base + "/{hash}/revoke", OperatorRole.ADMIN, this::revoke),
                new ApiRoute("POST", (base.equals("/sessions") ? "" : base) + "/users/{user}/revoke", OperatorRole.ADMIN, this::revokeUser)));
        if (base.equals("/sessions")) { // the storage's cleanup is the gateway's, listed once
            routes.add(new ApiRoute("GET", "/cleanup", OperatorRole.AUDITOR, this::cleanupStatus));
            routes.add(new ApiRoute("POST", "/cleanup/run", OperatorRole.ADMIN, this::runCleanup));
        }
        return routes;
    }

    private CleanupTask cleanupTask() {
        return cleanup.orElseThrow(() -> AdminException.notFound("gateway " + gateway.name()
                + " has no cleanup task: its storage keeps nothing that outlives it (storage: memory)"));
    }

    private Object cleanupStatus(AdminCall call) {
        CleanupTask.Status s = cleanupTask().status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gateway", gateway.name());
        m.put("scheduled", s.scheduled());
        m.put("lastRun", s.lastRun().map(Object::toString).orElse(null));
        m.put("nextRun", s.nextRun().map(Object::toString).orElse(null));
        m.put("leaseHolder", s.leaseHolder().orElse(null));
        m.put("backlog", s.backlog());
        s.lastReport().ifPresent(r -> m.put("lastReport", report(r)));
        return m;
    }

    private Object runCleanup(AdminCall call) {
        call.require(OperatorRole.ADMIN);
        boolean dryRun = call.body() != null && call.body().path("dryRun").asBoolean(false);
        if (dryRun) {
            long n = cleanupTask().dryRunCount();
            audit.adminAction(call.operator(), "cleanup-dry-run", gateway.name(), n + " removable");
            return Map.of("gateway", gateway.name(), "dryRun", true, "removable", n);
        }
        CleanupReport r = cleanupTask().runOnce(CleanupProgress.NONE);
        audit.adminAction(call.operator(), "cleanup-run", gateway.name(), r.outcome().name().toLowerCase(java.util.Locale.ROOT));
        return report(r);
    }

    private static Map<String, Object> report(CleanupReport r) {
        return Map.of("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT), "deleted", r.deleted(),
                "batches", r.batches(), "cutoff", r.cutoff().toString(), "durationMs", r.elapsed().toMillis());
    }

    private Object list(AdminCall call) {
        int limit = call.intQuery("limit", 50, 1, MAX_PAGE);
        Optional<SessionPage.Cursor> position = call.query("after").map(t -> SessionPage.Cursor.parse(t)
                .orElseThrow(() -> AdminException.badRequest("after must be the next of a previous page")));
        Optional<String> role = call.query("role");
        SessionFilter filter = filter(call);
        List<Map<String, Object>> found = new ArrayList<>();
        boolean more = true;
        for (int scanned = 0; more && found.size() < limit && scanned < MAX_ROLE_SCAN; ) {
            SessionPage page = gateway.sessions(filter, position, role.isEmpty() ? limit - found.size() : MAX_PAGE);
            scanned += page.sessions().size();
            more = page.next().isPresent();
            for (StoredSession s : page.sessions()) {
                if (found.size() == limit) {
                    more = true; // stopped inside the page: the rest of it comes next
                    break;
                }
                position = Optional.of(new SessionPage.Cursor(s.expiryTime(), s.session().hash().hex()));
                if (role.map(s.session().roles()::contains).orElse(true)) {
                    found.add(summary(s));
                }
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("gateway", gateway.name());
        answer.put("sessions", found);
        answer.put("next", more ? position.map(SessionPage.Cursor::token).orElse(null) : null);
        return answer;
    }

    private Object count(AdminCall call) {
        if (call.query("role").isPresent()) {
            throw AdminException.badRequest("count does not filter by role; list with role= instead");
        }
        return Map.of("gateway", gateway.name(), "count", gateway.countSessions(filter(call)));
    }

    private Object detail(AdminCall call) {
        SessionIdHash hash = hash(call.path("hash"));
        Session s = gateway.session(hash).orElseThrow(() -> AdminException.notFound(
                "gateway " + gateway.name() + " holds no live session with hash " + hash.hex()));
        Map<String, Object> d = summary(new StoredSession(s, clock.instant()));
        d.remove("expiry");
        d.put("attributes", s.attributes());
        d.put("lastHeartbeat", s.lastHeartbeat().toString());
        d.put("remediation", s.remediation());
        d.put("authServerKind", s.authServerKind().name());
        return d;
    }

    private Object revoke(AdminCall call) {
        call.require(OperatorRole.ADMIN);
        SessionIdHash hash = hash(call.path("hash"));
        boolean held = gateway.revoke(hash);
        audit.adminAction(call.operator(), "revoke-session", hash.hex(), held ? "revoked" : "not-held");
        if (!held) {
            throw AdminException.notFound("gateway " + gateway.name() + " holds no live session with hash " + hash.hex());
        }
        return Map.of("gateway", gateway.name(), "revoked", List.of(hash.hex()));
    }

    private Object revokeUser(AdminCall call) {
        call.require(OperatorRole.ADMIN);
        String user = call.path("user");
        List<String> revoked = new ArrayList<>();
        SessionFilter filter = SessionFilter.ALL.withUser(user);
        for (SessionPage page = gateway.sessions(filter, Optional.empty(), MAX_PAGE); ;
             page = gateway.sessions(filter, page.next(), MAX_PAGE)) {
            for (StoredSession s : page.sessions()) {
                if (gateway.revoke(s.session().hash())) {
                    revoked.add(s.session().hash().hex());
                }
            }
            if (page.next().isEmpty()) {
                break;
            }
        }
        audit.adminAction(call.operator(), "revoke-user", user, revoked.size() + " revoked");
        return Map.of("gateway", gateway.name(), "user", user, "revoked", revoked);
    }

    private SessionFilter filter(AdminCall call) {
        Optional<Duration> minAge = age(call, "min-age");
        Optional<Duration> maxAge = age(call, "max-age");
        return new SessionFilter(call.query("user"), call.query("realm"), call.query("group"), Optional.empty(),
                maxAge.map(clock.instant()::minus), minAge.map(clock.instant()::minus));
    }

    /** An age in seconds; {@code min-age=3600} selects sessions started over an hour ago. */
    private static Optional<Duration> age(AdminCall call, String name) {
        return call.query(name).map(v -> Duration.ofSeconds(call.intQuery(name, 0, 0, Integer.MAX_VALUE)));
    }

    private static SessionIdHash hash(String hex) {
        try {
            return SessionIdHash.parse(hex);
        } catch (RuntimeException e) {
            throw AdminException.badRequest("a session is named by the SHA-256 hash of its id: 64 hex digits");
        }
    }

    private static Map<String, Object> summary(StoredSession stored) {
        Session s = stored.session();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash", s.hash().hex());
        m.put("user", s.user());
        m.put("realm", s.realm());
        m.put("group", s.authGroup() == null ? null : s.authGroup().name());
        m.put("roles", List.copyOf(s.roles()));
        m.put("gateway", s.owner());
        m.put("startTime", s.startTime().toString());
        m.put("lastActivity", s.lastActivity().toString());
        m.put("expiry", stored.expiryTime().toString());
        return m;
    }
}
