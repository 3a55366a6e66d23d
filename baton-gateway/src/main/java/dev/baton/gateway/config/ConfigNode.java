package dev.baton.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A node of a parsed YAML configuration that knows its path, so every error names the key that is wrong
 * ({@code realms[1].auth-server.kind: ...}). Read-only; not thread-safe while {@link #allowOnly} is checked.
 */
public final class ConfigNode {

    private final JsonNode node;
    private final String path;

    /** Wraps the root of a document. */
    public ConfigNode(JsonNode node, String path) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
    }

    /** The path of this node, e.g. {@code realms[0].auth-server}. */
    public String path() {
        return path;
    }

    /** Whether a key is present. */
    public boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    /** The child at {@code key} (possibly missing). */
    public ConfigNode get(String key) {
        return new ConfigNode(node.get(key), child(key));
    }

    /** A required string. */
    public String text(String key) {
        return optionalText(key).orElseThrow(() -> error(key, "is required"));
    }

    /** An optional string. */
    public Optional<String> optionalText(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            throw error(key, "must be a non-empty string");
        }
        return Optional.of(v.asText().strip());
    }

    /** A boolean with a default. */
    public boolean bool(String key, boolean defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw error(key, "must be true or false, got '" + v.asText() + "'");
        }
        return v.booleanValue();
    }

    /** An integer within bounds, with a default. */
    public long number(String key, long defaultValue, long min, long max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw error(key, "must be a whole number, got '" + v.asText() + "'");
        }
        long n = v.longValue();
        if (n < min || n > max) {
            throw error(key, "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** A duration such as {@code 30m}, {@code 8 h}, {@code 1500ms} or ISO-8601 {@code PT8H}, with a default. */
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> v = optionalText(key);
        return v.isEmpty() ? defaultValue : parseDuration(v.get(), child(key));
    }

    /** A list of strings (a scalar counts as a one-element list); empty if absent. */
    public List<String> texts(String key) {
        JsonNode v = node.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isValueNode()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw error(key, "must be a list of strings");
        }
        for (JsonNode e : v) {
            if (!e.isValueNode()) {
                throw error(key, "must be a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** The elements of a list; empty if absent. */
    public List<ConfigNode> list(String key) {
        JsonNode v = node.get(key);
        List<ConfigNode> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw error(key, "must be a list");
        }
        for (int i = 0; i < v.size(); i++) {
            out.add(new ConfigNode(v.get(i), child(key) + "[" + i + "]"));
        }
        return out;
    }

    /** The entries of a map, in document order; empty if absent. */
    public Map<String, ConfigNode> map(String key) {
        JsonNode v = node.get(key);
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw error(key, "must be a map");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), new ConfigNode(e.getValue(), child(key) + "." + e.getKey()));
        }
        return out;
    }

    /** Attribute maps: name to a string or a list of strings. */
    public Map<String, List<String>> attributes(String key) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : map(key).entrySet()) {
            JsonNode v = e.getValue().node;
            out.put(e.getKey(), v.isValueNode() ? List.of(v.asText()) : new ConfigNode(node.get(key), child(key)).texts(e.getKey()));
        }
        return out;
    }

    /** Every scalar entry of this map but {@code except}, as strings (lists joined with commas). */
    public Map<String, String> scalars(Set<String> except) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (except.contains(e.getKey())) {
                continue;
            }
            JsonNode v = e.getValue();
            if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                v.forEach(x -> parts.add(x.asText()));
                out.put(e.getKey(), String.join(",", parts));
            } else if (v.isValueNode()) {
                out.put(e.getKey(), v.asText());
            } else {
                throw error(e.getKey(), "must be a value or a list of values");
            }
        }
        return out;
    }

    /** Fails naming the first key not in {@code allowed}; catches typos such as {@code idle-timout}. */
    public ConfigNode allowOnly(Set<String> allowed) {
        if (!node.isMissingNode() && !node.isObject()) {
            throw new BatonException(ResultCode.CONFIGURATION, where() + "must be a map");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw error(k, "is not a known key here; known keys: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
        return this;
    }

    /** An error about {@code key} of this node. */
    public BatonException error(String key, String problem) {
        return new BatonException(ResultCode.CONFIGURATION, child(key) + ": " + problem);
    }

    /** Parses a duration with a unit; the message names {@code where}. */
    public static Duration parseDuration(String text, String where) {
        String t = text.strip();
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return positive(Duration.parse(t), where, text);
            } catch (DateTimeParseException e) {
                throw new BatonException(ResultCode.CONFIGURATION, where + ": '" + text + "' is not an ISO-8601 duration");
            }
        }
        return positive(dev.baton.core.Durations.parse(where, t), where, text);
    }

    private static Duration positive(Duration d, String where, String text) {
        if (d.isNegative() || d.isZero()) {
            throw new BatonException(ResultCode.CONFIGURATION, where + ": '" + text + "' must be positive");
        }
        return d;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String where() {
        return path.isEmpty() ? "" : path + ": ";
    }
}
