package dev.baton.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit events: one JSON object per line on the logger {@value #LOGGER}, which the {@code baton} command's
 * Logback configuration writes to a file of its own, rotated daily and by size ({@code BATON_AUDIT_DIR}).
 * Every event has {@code time}, {@code event} and {@code node}; sessions appear by the SHA-256 hash of
 * their id, never the id. The schema is in docs/operations.md. Thread-safe.
 */
public class AuditLog {
    /** The logger audit events go to. */
    public static final String LOGGER = "baton.audit";
    /** Drops every event: for embedded use and tests that do not look at them. */
    public static final AuditLog DISCARD = new AuditLog("", InstantSource.system()) {
        @Override
        protected void write(Map<String, Object> event) {
        }
    };
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String node;
    private final InstantSource clock;

    /** Events of the gateway or federation server named {@code node}. */
    public AuditLog(String node, InstantSource clock) {
        this.node = node;
        this.clock = clock;
    }

    /** An event with its fields in order; {@code fields} alternates names and values, nulls left out. */
    public final void event(String event, Object... fields) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("time", Instant.ofEpochMilli(clock.millis()).toString());
        e.put("event", event);
        e.put("node", node);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i + 1] != null) {
                e.put((String) fields[i], fields[i + 1] instanceof Enum<?> en ? en.name().toLowerCase(java.util.Locale.ROOT)
                        : fields[i + 1]);
            }
        }
        write(e);
    }

    /** Writes one event; subclasses in tests collect them instead. */
    protected void write(Map<String, Object> event) {
        if (LOG.isInfoEnabled()) {
            try {
                LOG.info(line(event));
            } catch (JsonProcessingException e) {
                LOG.error("{\"event\":\"audit-failure\",\"reason\":\"cannot write an audit event as JSON\"}");
            }
        }
    }

    /**
     * One event as one line of JSON: every value is a JSON string or number, so a line break or a quote in a
     * user name (an agent's own text) is escaped and cannot start an event of its own.
     */
    static String line(Map<String, Object> event) throws JsonProcessingException {
        return JSON.writeValueAsString(event);
    }

    void adminSignInFailed(String source) {
        event("admin-sign-in-failed", "source", source);
    }

    void adminRefused(Operator operator, String operation) {
        event("admin-refused", "operator", operator.name(), "role", operator.role(), "operation", operation);
    }

    /** An operator's change: what it did to what, with its outcome. */
    public void adminAction(Operator operator, String action, String target, String outcome) {
        event("admin-action", "operator", operator.name(), "role", operator.role(), "action", action,
                "target", target, "outcome", outcome);
    }
}
