package dev.baton.store.ldap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.store.StoredSession;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code batonSessionData} value: a stored session as UTF-8 JSON, version 1. Written field by field
 * rather than by reflection so the format stays stable when {@link Session} gains members, and instants keep
 * their full precision (the generalizedTime attributes beside it are for searching and hold milliseconds).
 * Thread-safe.
 */
final class SessionCodec {
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SessionCodec() {
    }

    static byte[] encode(StoredSession stored) {
        Session s = stored.session();
        ObjectNode session = JSON.createObjectNode()
                .put("hash", s.hash().hex())
                .put("user", s.user())
                .put("realm", s.realm())
                .put("authGroup", s.authGroup() == null ? null : s.authGroup().name())
                .put("authServerKind", s.authServerKind().name())
                .put("startTime", s.startTime().toString())
                .put("lastActivity", s.lastActivity().toString())
                .put("lastHeartbeat", s.lastHeartbeat().toString())
                .put("owner", s.owner())
                .put("remediation", s.remediation())
                .put("agentKey", s.agentKey());
        ArrayNode roles = session.putArray("roles");
        s.roles().forEach(roles::add);
        ObjectNode attributes = session.putObject("attributes");
        s.attributes().forEach((name, values) -> values.forEach(attributes.withArray(name)::add));
        ObjectNode root = JSON.createObjectNode().put("v", VERSION).put("expiryTime", stored.expiryTime().toString());
        root.set("session", session);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new BatonException(ResultCode.INTERNAL, "cannot serialize session", s.hash(), null, e);
        }
    }

    static StoredSession decode(byte[] data, String entryDn) {
        try {
            JsonNode root = JSON.readTree(data);
            if (root == null || root.path("v").asInt() != VERSION) {
                throw new IllegalArgumentException("unknown format version " + (root == null ? null : root.path("v")));
            }
            JsonNode s = root.path("session");
            String group = text(s, "authGroup", true);
            Session session = new Session(SessionIdHash.parse(text(s, "hash", false)), text(s, "user", false),
                    text(s, "realm", false), group == null ? null : new AuthGroup(group),
                    AuthServerKind.valueOf(text(s, "authServerKind", false)), roles(s.path("roles")),
                    attributes(s.path("attributes")), instant(s, "startTime"), instant(s, "lastActivity"),
                    instant(s, "lastHeartbeat"), text(s, "owner", false), s.path("remediation").asBoolean(false),
                    text(s, "agentKey", true));
            return new StoredSession(session, instant(root, "expiryTime"));
        } catch (IOException | RuntimeException e) {
            throw new BatonException(ResultCode.INTERNAL,
                    "stored session " + entryDn + " has unreadable batonSessionData: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field, boolean optional) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (optional) {
                return null;
            }
            throw new IllegalArgumentException("missing " + field);
        }
        return value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        try {
            return Instant.parse(text(node, field, false));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an ISO-8601 instant", e);
        }
    }

    private static Set<String> roles(JsonNode array) {
        Set<String> roles = new LinkedHashSet<>();
        array.forEach(r -> roles.add(r.asText()));
        return roles;
    }

    private static Map<String, List<String>> attributes(JsonNode object) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        object.properties().forEach(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            attributes.put(e.getKey(), values);
        });
        return attributes;
    }
}
