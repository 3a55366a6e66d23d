package dev.baton.gateway.auth;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.time.Duration;
import java.util.List;

/** Fail-fast checks for the authenticators' configuration records; every message starts with the key. */
final class ConfigCheck {
    private ConfigCheck() {
    }

    static BatonException error(String key, String problem) {
        return new BatonException(ResultCode.CONFIGURATION, key + ": " + problem);
    }

    static void require(boolean condition, String key, String problem) {
        if (!condition) {
            throw error(key, problem);
        }
    }

    static String notBlank(String value, String key) {
        require(value != null && !value.isBlank(), key, "must be set");
        return value.strip();
    }

    static <T> List<T> notEmpty(List<T> values, String key) {
        require(values != null && !values.isEmpty(), key, "must list at least one value");
        require(values.stream().allMatch(v -> v != null && !v.toString().isBlank()), key, "must not contain blank values");
        return List.copyOf(values);
    }

    static Duration positive(Duration value, String key) {
        require(value != null && !value.isNegative() && !value.isZero(), key, "must be a positive duration, was " + value);
        return value;
    }

    /** Parses {@code host:port} (a bare host gets {@code defaultPort}); IPv6 literals go in brackets. */
    static HostPort hostPort(String value, int defaultPort, String key) {
        String v = notBlank(value, key);
        String host = v;
        int port = defaultPort;
        int colon = v.lastIndexOf(':');
        if (colon > 0 && v.indexOf(']') < colon) {
            host = v.substring(0, colon);
            try {
                port = Integer.parseInt(v.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw error(key, "'" + v + "' has a port that is not a number");
            }
        }
        host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        require(!host.isBlank(), key, "'" + v + "' has no host");
        require(port > 0 && port < 65_536, key, "'" + v + "' has port " + port + " outside 1-65535");
        return new HostPort(host, port);
    }

    /** A server address. */
    record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
