package dev.baton.ifmap;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How a gateway reaches its federation server.
 *
 * @param url            the server's endpoint, {@code https://host:port/}
 * @param user           basic-auth user (each gateway its own publisher)
 * @param password       basic-auth password
 * @param ssl            TLS context trusting the server's certificate
 * @param gateway        this gateway's name, as published in ownership metadata
 * @param requestTimeout limit of one request (default 30 s)
 * @param pollTimeout    limit of one poll; longer than the server's poll wait (default 150 s)
 * @param renewInterval  how often the session is renewed (default 60 s; the server's timeout is 180 s)
 * @param maxBackoff     longest wait between reconnection attempts (default 5 s)
 * @param pollCoalesce   pause after a poll that brought results, before the next poll, so that results arriving
 *                       meanwhile come in one response (default 10 ms; zero polls again at once). Under load this
 *                       turns one poll exchange per notification into one per pause; it delays only the old
 *                       owner's clean-up, never a migration, which asks the federation itself
 */
public record FederationClientConfig(URI url, String user, String password, SSLContext ssl, String gateway,
                                     Duration requestTimeout, Duration pollTimeout, Duration renewInterval,
                                     Duration maxBackoff, Duration pollCoalesce) {
    /** Validates; messages name the option. */
    public FederationClientConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(ssl, "ssl");
        if (user == null || user.isBlank() || password == null) {
            throw new BatonException(ResultCode.CONFIGURATION, "federation user and password are required");
        }
        if (gateway == null || gateway.isBlank()) {
            throw new BatonException(ResultCode.CONFIGURATION, "federation gateway name must not be blank");
        }
        if (!gateway.equals(user)) {
            // The federation server lets a client claim sessions only in its own name (docs/security.md).
            throw new BatonException(ResultCode.CONFIGURATION, "federation user '" + user + "' must be the gateway's name '"
                    + gateway + "': the federation server accepts a session-owner only from the gateway it names");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || renewInterval.isZero()
                || renewInterval.isNegative() || maxBackoff.isNegative() || maxBackoff.isZero()) {
            throw new BatonException(ResultCode.CONFIGURATION, "federation timeouts must be positive");
        }
        if (pollCoalesce.isNegative() || pollCoalesce.compareTo(MAX_POLL_COALESCE) > 0) {
            throw new BatonException(ResultCode.CONFIGURATION, "federation poll-coalesce must be between 0 and 1 s, not " + pollCoalesce);
        }
    }

    /** A configuration with the defaults above. */
    public static FederationClientConfig of(URI url, String user, String password, SSLContext ssl, String gateway) {
        return new FederationClientConfig(url, user, password, ssl, gateway, Duration.ofSeconds(30),
                Duration.ofSeconds(150), Duration.ofSeconds(60), Duration.ofSeconds(5), DEFAULT_POLL_COALESCE);
    }

    /** The default {@code pollCoalesce}. */
    public static final Duration DEFAULT_POLL_COALESCE = Duration.ofMillis(10);
    /** The longest {@code pollCoalesce}: longer would leave a stale copy at the old owner for too long. */
    public static final Duration MAX_POLL_COALESCE = Duration.ofSeconds(1);

    /** The same with other renewal and back-off intervals. */
    public FederationClientConfig withIntervals(Duration renew, Duration backoff) {
        return new FederationClientConfig(url, user, password, ssl, gateway, requestTimeout, pollTimeout, renew,
                backoff, pollCoalesce);
    }

    /** The same with another pause between polls that brought results. */
    public FederationClientConfig withPollCoalesce(Duration pause) {
        return new FederationClientConfig(url, user, password, ssl, gateway, requestTimeout, pollTimeout, renewInterval,
                maxBackoff, pause);
    }
}
