package dev.baton.ifmap.server;

import dev.baton.admin.AdminCall;
import dev.baton.admin.AdminException;
import dev.baton.admin.ApiRoute;
import dev.baton.admin.AuditLog;
import dev.baton.admin.OperatorRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The federation server's part of the admin API (docs/ifmap.md): every Baton session in the federation graph with
 * the gateway that holds it, paged and filtered by user and gateway, their count, and revocation of one session or
 * of every session of a user everywhere in the federation, through the revocation mark ({@link RevocationMarks}).
 * The graph is read through {@link MapService#read}, under the service lock, not through IF-MAP requests. Answers
 * carry the session-id hash and harmless fields only: never an id, an agent key or attributes.
 */
public final class FederationAdmin {
    /** Sessions in one page, at most. */
    static final int MAX_PAGE = 500;
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final MapService service;
    private final AuditLog audit;

    FederationAdmin(MapService service, AuditLog audit) {
        this.service = service;
        this.audit = audit;
    }

    /** The admin API of the running {@code server}, with operators' changes written to {@code audit}. */
    public static FederationAdmin of(IfmapServer server, AuditLog audit) {
        return new FederationAdmin(server.service(), audit);
    }

    /** The routes to give the admin listener. */
    public List<ApiRoute> routes() {
        return List.of(
                new ApiRoute("GET", "/sessions", OperatorRole.AUDITOR, this::list),
                new ApiRoute("GET", "/sessions/count", OperatorRole.AUDITOR, this::count),
                new ApiRoute("POST", "/sessions/{hash}/revoke", OperatorRole.ADMIN, this::revoke),
                new ApiRoute("POST", "/users/{user}/revoke", OperatorRole.ADMIN, this::revokeUser));
    }

    private Object list(AdminCall call) {
        int limit = call.intQuery("limit", 50, 1, MAX_PAGE);
        Optional<String> after = call.query("after").map(a -> {
            if (!HASH.matcher(a).matches()) {
                throw AdminException.badRequest("after must be the next of a previous page");
            }
            return a;
        });
        List<GraphSessions.Raw> raw = new ArrayList<>(selected(call));
        raw.sort(Comparator.comparing(GraphSessions.Raw::hash));
        List<Map<String, Object>> page = new ArrayList<>();
        String next = null;
        for (GraphSessions.Raw r : raw) {
            if (after.isPresent() && r.hash().compareTo(after.get()) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                next = (String) page.get(limit - 1).get("hash");
                break;
            }
            page.add(summary(GraphSessions.parse(r)));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sessions", page);
        answer.put("next", next);
        return answer;
    }

    private Object count(AdminCall call) {
        return Map.of("count", selected(call).size());
    }

    private List<GraphSessions.Raw> selected(AdminCall call) {
        Optional<String> user = call.query("user");
        Optional<String> gateway = call.query("gateway");
        return service.read(g -> GraphSessions.collect(g, user, gateway));
    }

    private Object revoke(AdminCall call) {
        call.require(OperatorRole.ADMIN);
        String hash = call.path("hash");
        if (!HASH.matcher(hash).matches()) {
            throw AdminException.badRequest("a session is named by the SHA-256 hash of its id: 64 lower-case hex digits");
        }
        List<String> marked = service.revoke(g -> List.of(hash), call.operator().name(), RevocationMarks.OPERATOR);
        audit.adminAction(call.operator(), "revoke-session", hash, marked.isEmpty() ? "not-live" : "revoked");
        if (marked.isEmpty()) {
            throw AdminException.notFound("the federation holds no live session with hash " + hash);
        }
        return Map.of("revoked", marked);
    }

    private Object revokeUser(AdminCall call) {
        call.require(OperatorRole.ADMIN);
        String user = call.path("user");
        List<String> marked = service.revoke(g -> GraphSessions.collect(g, Optional.of(user), Optional.empty()).stream()
                .map(GraphSessions.Raw::hash).toList(), call.operator().name(), RevocationMarks.OPERATOR);
        audit.adminAction(call.operator(), "revoke-user", user, marked.size() + " revoked");
        return Map.of("user", user, "revoked", marked);
    }

    private static Map<String, Object> summary(GraphSessions.View v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash", v.hash());
        m.put("user", v.user());
        m.put("gateway", v.gateway());
        m.put("generation", v.generation());
        m.put("realm", v.realm());
        m.put("group", v.authGroup());
        m.put("roles", v.roles());
        m.put("startTime", v.startTime() == null ? null : v.startTime().toString());
        return m;
    }
}
