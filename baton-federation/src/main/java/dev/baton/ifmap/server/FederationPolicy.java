package dev.baton.ifmap.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Who may do what on a federation server: each authenticated client has one role ({@link PublisherRights}),
 * named in the operator's policy file; clients the file does not name get its {@code default-role}.
 *
 * <pre>
 * default-role: publisher        # publisher (the default), reader, auditor, admin or none; never gateway
 * clients:
 *   gateway-a: gateway           # a Baton gateway; its federation user is its name
 *   gateway-b: gateway
 *   monitor: auditor
 *   ops: admin
 * quotas:                        # optional, per role
 *   publisher: {max-subscriptions: 1000, max-metadata: 1000000}
 * </pre>
 *
 * Gateways are named one by one, never by default: a gateway's role lets it publish any user's session, so
 * being one must be the operator's explicit word. Without a policy file no client is a gateway and every
 * client is a {@code publisher} ({@link #DEFAULT}). Immutable and thread-safe.
 */
public final class FederationPolicy {
    /** No gateways; every client a publisher. */
    public static final FederationPolicy DEFAULT = new FederationPolicy(Map.of(), PublisherRights.PUBLISHER);

    private static final Set<String> KEYS = Set.of("default-role", "clients", "quotas");
    private static final Set<String> QUOTA_KEYS = Set.of("max-subscriptions", "max-metadata");

    private final Map<String, PublisherRights> clients;
    private final PublisherRights defaultRights;

    private FederationPolicy(Map<String, PublisherRights> clients, PublisherRights defaultRights) {
        this.clients = Map.copyOf(clients);
        this.defaultRights = defaultRights;
    }

    /** A policy naming {@code clients}' rights, others getting {@code defaultRights}. */
    public static FederationPolicy of(Map<String, PublisherRights> clients, PublisherRights defaultRights) {
        if (defaultRights.publishSessions()) {
            throw new BatonException(ResultCode.CONFIGURATION, "default-role must not be gateway: name each gateway under clients");
        }
        return new FederationPolicy(clients, defaultRights);
    }

    /** The rights of {@code user}. */
    public PublisherRights rights(String user) {
        return clients.getOrDefault(user, defaultRights);
    }

    /** The clients named with the role {@code role}. */
    public Set<String> clientsWithRole(String role) {
        Set<String> out = new java.util.TreeSet<>();
        clients.forEach((user, r) -> {
            if (r.role().equals(role)) {
                out.add(user);
            }
        });
        return out;
    }

    /** The role of clients the policy does not name. */
    public String defaultRole() {
        return defaultRights.role();
    }

    /**
     * Reads a policy file (YAML, see the class comment).
     *
     * @throws BatonException {@link ResultCode#CONFIGURATION} naming the file and the key that is wrong
     */
    public static FederationPolicy read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "cannot read federation policy " + file + ": "
                    + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new BatonException(ResultCode.CONFIGURATION, "federation policy " + file
                    + " must be a YAML mapping with 'clients' (and optionally 'default-role', 'quotas')");
        }
        String where = "federation policy " + file + ": ";
        allowOnly(root, KEYS, where, "");
        Map<String, PublisherRights> roles = roles(root.path("quotas"), where);
        PublisherRights defaultRights = root.has("default-role")
                ? roleNamed(roles, text(root.get("default-role"), where + "default-role"), where + "default-role")
                : roles.get("publisher");
        if (defaultRights.publishSessions()) {
            throw new BatonException(ResultCode.CONFIGURATION, where
                    + "default-role must not be gateway: name each gateway under clients");
        }
        return new FederationPolicy(clients(root.path("clients"), roles, where), defaultRights);
    }

    /** Every role by name, with the quotas {@code quotas} sets for it. */
    private static Map<String, PublisherRights> roles(JsonNode quotas, String where) {
        Map<String, PublisherRights> roles = new LinkedHashMap<>();
        for (String name : new String[] {"gateway", "publisher", "reader", "auditor", "admin", "none"}) {
            roles.put(name, PublisherRights.role(name).orElseThrow());
        }
        if (quotas.isMissingNode()) {
            return roles;
        }
        requireObject(quotas, where + "quotas");
        for (Iterator<String> it = quotas.fieldNames(); it.hasNext(); ) {
            String role = it.next();
            PublisherRights base = roleNamed(roles, role, where + "quotas." + role);
            JsonNode q = quotas.get(role);
            requireObject(q, where + "quotas." + role);
            allowOnly(q, QUOTA_KEYS, where, "quotas." + role + ".");
            roles.put(role, base.withQuotas((int) count(q, "max-subscriptions", base.maxSubscriptions(),
                    Integer.MAX_VALUE, where + "quotas." + role), count(q, "max-metadata", base.maxMetadata(),
                    Long.MAX_VALUE, where + "quotas." + role)));
        }
        return roles;
    }

    /** The clients {@code list} names, with their roles. */
    private static Map<String, PublisherRights> clients(JsonNode list, Map<String, PublisherRights> roles, String where) {
        Map<String, PublisherRights> clients = new LinkedHashMap<>();
        if (list.isMissingNode() || list.isNull()) {
            return clients;
        }
        requireObject(list, where + "clients");
        for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = where + "clients." + e.getKey();
            if (!e.getKey().matches("[\\w.@-]{1,128}")) {
                throw new BatonException(ResultCode.CONFIGURATION, key
                        + ": a client name is 1-128 letters, digits, '.', '@', '_' or '-'");
            }
            clients.put(e.getKey(), roleNamed(roles, text(e.getValue(), key), key));
        }
        return clients;
    }

    private static PublisherRights roleNamed(Map<String, PublisherRights> roles, String name, String key) {
        PublisherRights r = roles.get(name);
        if (r == null) {
            throw new BatonException(ResultCode.CONFIGURATION, key + ": unknown role '" + name
                    + "'; expected one of " + String.join(", ", roles.keySet()));
        }
        return r;
    }

    private static String text(JsonNode node, String key) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new BatonException(ResultCode.CONFIGURATION, key + " must be a role name");
        }
        return node.asText().strip();
    }

    private static long count(JsonNode node, String field, long fallback, long max, String key) {
        JsonNode v = node.get(field);
        if (v == null) {
            return fallback;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > max) {
            throw new BatonException(ResultCode.CONFIGURATION, key + "." + field + " must be a whole number 0.."
                    + max + ", got " + v);
        }
        return v.asLong();
    }

    private static void requireObject(JsonNode node, String key) {
        if (!node.isObject()) {
            throw new BatonException(ResultCode.CONFIGURATION, key + " must be a mapping");
        }
    }

    private static void allowOnly(JsonNode node, Set<String> allowed, String where, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new BatonException(ResultCode.CONFIGURATION, where + "unknown key '" + prefix + k
                        + "'; expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    @Override
    public String toString() {
        return "FederationPolicy[gateways=" + clientsWithRole("gateway") + ", default-role=" + defaultRole() + "]";
    }
}
