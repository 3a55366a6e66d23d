package dev.baton.gateway.admin;

import dev.baton.admin.AdminCall;
import dev.baton.admin.ApiRoute;
import dev.baton.admin.AuditLog;
import dev.baton.admin.OperatorRole;
import dev.baton.store.ldap.DirectoryPurgeTask;
import dev.baton.store.ldap.PurgeSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory purge's part of a gateway's admin API, for LDAP storage (docs/ldap.md): its status (which
 * node purges, the last pass, the throttle) and a pass now.
 */
public final class PurgeAdmin {
    private final String gateway;
    private final DirectoryPurgeTask purge;
    private final AuditLog audit;

    public PurgeAdmin(String gateway, DirectoryPurgeTask purge, AuditLog audit) {
        this.gateway = gateway;
        this.purge = purge;
        this.audit = audit;
    }

    /** The routes to give the admin listener. */
    public List<ApiRoute> routes() {
        return List.of(new ApiRoute("GET", "/purge", OperatorRole.AUDITOR, this::status),
                new ApiRoute("POST", "/purge/run", OperatorRole.ADMIN, this::run));
    }

    private Object status(AdminCall call) {
        PurgeSettings s = purge.settings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gateway", gateway);
        m.put("node", s.nodeName());
        m.put("enabled", s.enabled());
        m.put("leading", purge.leading());
        m.put("maxUpdatesPerSecond", s.maxUpdatesPerSecond());
        m.put("deleteThreads", s.deleteThreads());
        m.put("pollingIntervalMs", s.pollingInterval().toMillis());
        purge.lastPass().ifPresent(e -> {
            m.put("lastPass", e.getKey().toString());
            m.put("lastPassReport", pass(e.getValue()));
        });
        return m;
    }

    private Object run(AdminCall call) {
        call.require(OperatorRole.ADMIN);
        DirectoryPurgeTask.Pass p = purge.runOnce();
        audit.adminAction(call.operator(), "purge-run", gateway, p.leader() ? p.deleted() + " deleted" : "standing by for " + p.leaderNode());
        return pass(p);
    }

    private static Map<String, Object> pass(DirectoryPurgeTask.Pass p) {
        return Map.of("leader", p.leader(), "leaderNode", p.leaderNode(), "backlog", p.backlog(), "deleted", p.deleted(),
                "behind", p.behind());
    }
}
