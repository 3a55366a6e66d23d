package dev.baton.gateway.auth;

import java.time.Duration;
import java.util.List;

import static dev.baton.gateway.auth.ConfigCheck.require;

/**
 * Configuration of a {@link RadiusAuthenticator}, frozen and checked when built; errors name the key.
 * {@link #toString()} masks the shared secret.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>type</th><th>meaning, default</th></tr>
 * <tr><td>{@code radius.servers}</td><td>list of host[:port]</td><td>tried in order, the next one only when a server
 *     does not answer; port 1812</td></tr>
 * <tr><td>{@code radius.secret}</td><td>secret</td><td>shared secret, the same for every server; required</td></tr>
 * <tr><td>{@code radius.timeout}</td><td>duration</td><td>wait for an answer to each attempt; 3 s</td></tr>
 * <tr><td>{@code radius.retries}</td><td>int</td><td>resends to the same server after a timeout; 2</td></tr>
 * <tr><td>{@code radius.nasIdentifier}</td><td>text</td><td>NAS-Identifier sent with every request; {@code baton}</td></tr>
 * </table>
 *
 * <p>The worst-case wait for a sign-in when every server is down is
 * {@code servers × (retries + 1) × timeout}.
 *
 * @param servers       host[:port] entries
 * @param secret        the shared secret
 * @param timeout       per attempt
 * @param retries       resends per server, 0 or more
 * @param nasIdentifier the NAS-Identifier attribute
 */
public record RadiusConfig(List<String> servers, String secret, Duration timeout, int retries, String nasIdentifier) {
    /** RFC 2865 3: secrets should be at least 16 octets, but shorter ones work; an empty one does not. */
    private static final int MAX_SECRET_BYTES = 128;

    /** Checks and freezes. */
    public RadiusConfig {
        servers = ConfigCheck.notEmpty(servers, "radius.servers");
        servers.forEach(s -> ConfigCheck.hostPort(s, 1812, "radius.servers"));
        require(secret != null && !secret.isEmpty(), "radius.secret", "must be set");
        require(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_SECRET_BYTES, "radius.secret",
                "must be at most " + MAX_SECRET_BYTES + " bytes");
        ConfigCheck.positive(timeout, "radius.timeout");
        require(timeout.toMillis() <= Integer.MAX_VALUE, "radius.timeout", "is too long");
        require(retries >= 0 && retries <= 10, "radius.retries", "must be 0-10, was " + retries);
        nasIdentifier = ConfigCheck.notBlank(nasIdentifier == null ? "baton" : nasIdentifier, "radius.nasIdentifier");
    }

    /** The defaults: 3 s timeout, 2 retries, NAS-Identifier {@code baton}. */
    public static RadiusConfig of(List<String> servers, String secret) {
        return new RadiusConfig(servers, secret, Duration.ofSeconds(3), 2, "baton");
    }

    /** A copy with another timeout and retry count. */
    public RadiusConfig withTimeout(Duration perAttempt, int resends) {
        return new RadiusConfig(servers, secret, perAttempt, resends, nasIdentifier);
    }

    @Override
    public String toString() {
        return "RadiusConfig[servers=" + servers + ", secret=****, timeout=" + timeout + ", retries=" + retries
                + ", nasIdentifier=" + nasIdentifier + "]";
    }
}
