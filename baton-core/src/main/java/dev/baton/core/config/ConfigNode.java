package dev.baton.core.config;

import dev.baton.core.BatonException;
import dev.baton.core.Durations;
import dev.baton.core.ResultCode;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A node of a configuration tree that knows its path, so that every error names the key that is wrong
 * ({@code realms[1].auth-server.kind: ...}). The tree is what a YAML or JSON parser makes of a document
 * read as plain objects: maps with string keys, lists, strings, numbers and booleans. Keeping it free of
 * any parser lets each module read its own part of one document into its settings record, in one pass,
 * without depending on the format.
 *
 * <p>Reads are typed and lenient only where a configuration written by hand needs it: a number or a
 * boolean may also be given as a string ({@code "5000"}, {@code "true"}). Immutable.
 */
public final class ConfigNode {

    private final Object value;
    private final String path;

    /**
     * Wraps a (sub)tree.
     *
     * @param value a {@link Map}, a {@link List}, a scalar, or {@code null} for a missing node
     * @param path  the path of {@code value} in the document, empty for the root
     */
    public ConfigNode(Object value, String path) {
        this.value = value;
        this.path = path;
    }

    /** The root of a document. */
    public static ConfigNode root(Object tree) {
        return new ConfigNode(tree, "");
    }

    /** The path of this node, e.g. {@code realms[0].auth-server}. */
    public String path() {
        return path;
    }

    /** Whether this node is absent (or {@code null}) in the document. */
    public boolean missing() {
        return value == null;
    }

    /** Whether a key is present with a value other than {@code null}. */
    public boolean has(String key) {
        return raw(key) != null;
    }

    /** The child at {@code key} (possibly missing). */
    public ConfigNode get(String key) {
        return new ConfigNode(raw(key), child(key));
    }

    /** A required string. */
    public String text(String key) {
        return optionalText(key).orElseThrow(() -> error(key, "is required"));
    }

    /** An optional string; a number or boolean counts as its text. */
    public Optional<String> optionalText(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!scalar(v) || v.toString().isBlank()) {
            throw error(key, "must be a non-empty string");
        }
        return Optional.of(v.toString().strip());
    }

    /** An optional secret or other text taken as written: not stripped, and may be empty. */
    public Optional<String> optionalSecret(String key) {
        Object v = raw(key);
        if (v != null && !scalar(v)) {
            throw error(key, "must be a string");
        }
        return Optional.ofNullable(v).map(Object::toString);
    }

    /** An optional file path. */
    public Optional<Path> path(String key) {
        return optionalText(key).map(Path::of);
    }

    /** A boolean with a default: {@code true}/{@code false}, also {@code yes}/{@code no} and {@code on}/{@code off}. */
    public boolean bool(String key, boolean defaultValue) {
        Object v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (v.toString().strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(key, "must be true or false, got '" + v + "'");
        };
    }

    /** A whole number within bounds, with a default; {@code 100_000} and {@code "100000"} are accepted. */
    public long number(String key, long defaultValue, long min, long max) {
        Object v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        long n = wholeNumber(key, v);
        if (n < min || n > max) {
            throw error(key, "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** An {@code int} with a default; its range is left to the settings record that takes it. */
    public int integer(String key, int defaultValue) {
        return (int) number(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A whole number of milliseconds within bounds, with a default ({@code *-ms} keys). */
    public Duration millis(String key, Duration defaultValue, long min, long max) {
        return Duration.ofMillis(number(key, defaultValue.toMillis(), min, max));
    }

    /** A duration such as {@code 30m}, {@code 8 h}, {@code 1500ms} or ISO-8601 {@code PT8H}, with a default. */
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> v = optionalText(key);
        return v.isEmpty() ? defaultValue : parseDuration(v.get(), child(key));
    }

    /**
     * A value made by {@code parser} from the key's text, or {@code defaultValue} if absent; a parser's
     * {@link BatonException} or {@link IllegalArgumentException} becomes an error naming the key.
     *
     * @throws BatonException if the key is absent and {@code defaultValue} is {@code null}
     */
    public <T> T value(String key, Function<String, T> parser, T defaultValue) {
        Optional<String> v = optionalText(key);
        if (v.isEmpty()) {
            if (defaultValue == null) {
                throw error(key, "is required");
            }
            return defaultValue;
        }
        try {
            return parser.apply(v.get());
        } catch (BatonException | IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    /** A list of strings (a scalar counts as a one-element list); empty if absent. */
    public List<String> texts(String key) {
        Object v = raw(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (scalar(v)) {
            out.add(v.toString());
            return out;
        }
        if (!(v instanceof List<?> items)) {
            throw error(key, "must be a list of strings");
        }
        for (Object e : items) {
            if (!scalar(e)) {
                throw error(key, "must be a list of strings");
            }
            out.add(e.toString());
        }
        return out;
    }

    /** A list written as a YAML list or as one comma-separated string; entries stripped, blank ones dropped. */
    public List<String> commaSeparated(String key) {
        List<String> out = new ArrayList<>();
        for (String entry : texts(key)) {
            for (String part : entry.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    /** The elements of a list; empty if absent. */
    public List<ConfigNode> list(String key) {
        Object v = raw(key);
        List<ConfigNode> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof List<?> items)) {
            throw error(key, "must be a list");
        }
        for (int i = 0; i < items.size(); i++) {
            out.add(new ConfigNode(items.get(i), child(key) + "[" + i + "]"));
        }
        return out;
    }

    /** The entries of a map, in document order; empty if absent. */
    public Map<String, ConfigNode> map(String key) {
        Object v = raw(key);
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> entries)) {
            throw error(key, "must be a map");
        }
        entries.forEach((k, e) -> out.put(String.valueOf(k), new ConfigNode(e, child(key) + "." + k)));
        return out;
    }

    /** Attribute maps: name to a string or a list of strings. */
    public Map<String, List<String>> attributes(String key) {
        ConfigNode attributes = get(key);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : map(key).keySet()) {
            out.put(name, attributes.texts(name));
        }
        return out;
    }

    /** Fails naming the first key not in {@code allowed}; catches typos such as {@code idle-timout}. */
    public ConfigNode allowOnly(Set<String> allowed) {
        if (value == null) {
            return this;
        }
        if (!(value instanceof Map<?, ?> entries)) {
            throw new BatonException(ResultCode.CONFIGURATION, (path.isEmpty() ? "" : path + ": ") + "must be a map");
        }
        for (Object k : entries.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw error(String.valueOf(k), "is not a known key here; known keys: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return this;
    }

    /**
     * Builds a settings object whose own validation names keys as {@code prefix + key} (for example
     * {@code store.ldap.poolSize must be ...}), and renames such errors to this node's path
     * ({@code storage.ldap.poolSize: must be ...}). Other errors are prefixed with this node's path unless
     * they already name it.
     */
    public <T> T build(String prefix, Supplier<T> settings) {
        try {
            return settings.get();
        } catch (BatonException e) {
            String message = e.getMessage();
            if (message.startsWith(prefix)) {
                int end = prefix.length();
                while (end < message.length() && message.charAt(end) != ' ' && message.charAt(end) != ':') {
                    end++;
                }
                String problem = message.substring(Math.min(end + 1, message.length())).strip();
                throw new BatonException(e.code(), child(message.substring(prefix.length(), end)) + ": "
                        + (problem.isEmpty() ? "is not valid" : problem), e);
            }
            if (path.isEmpty() || message.startsWith(path)) {
                throw e;
            }
            throw new BatonException(e.code(), path + ": " + message, e);
        }
    }

    /** An error about {@code key} of this node. */
    public BatonException error(String key, String problem) {
        return new BatonException(ResultCode.CONFIGURATION, child(key) + ": " + problem);
    }

    /** Parses a duration with a unit ({@link Durations}) or ISO-8601; it must be positive. The message names {@code where}. */
    public static Duration parseDuration(String text, String where) {
        String t = text.strip();
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return positive(Duration.parse(t), where, text);
            } catch (DateTimeParseException e) {
                throw new BatonException(ResultCode.CONFIGURATION, where + ": '" + text + "' is not an ISO-8601 duration");
            }
        }
        try {
            return positive(Durations.parse(where, t), where, text);
        } catch (BatonException e) {
            String message = e.getMessage();
            throw message.startsWith(where + " ")
                    ? new BatonException(e.code(), where + ": " + message.substring(where.length() + 1), e) : e;
        }
    }

    private static Duration positive(Duration d, String where, String text) {
        if (d.isNegative() || d.isZero()) {
            throw new BatonException(ResultCode.CONFIGURATION, where + ": '" + text + "' must be positive");
        }
        return d;
    }

    private long wholeNumber(String key, Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.strip().replace("_", ""));
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw error(key, "must be a whole number, got '" + v + "'");
    }

    private Object raw(String key) {
        return value instanceof Map<?, ?> m ? m.get(key) : null;
    }

    private static boolean scalar(Object v) {
        return v instanceof String || v instanceof Number || v instanceof Boolean;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
