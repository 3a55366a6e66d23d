package dev.baton.gateway.http;

import dev.baton.core.BatonException;
import dev.baton.gateway.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent is told about a failure. The agents' API answers whoever asks: sign-in and connect come
 * before any authentication. So failures the request caused (a wrong password, an unknown or expired session,
 * a refused migration, a malformed body) are told as they are, because they are about the request. Failures
 * of the servers behind the gateway ({@code UNAVAILABLE}) and defects ({@code INTERNAL}) are not: their
 * messages are written for operators and repeat what a database, directory or HTTP client said, with host
 * and port, the federation server's URL or a file path, which map the internal network for an outsider. The
 * agent gets a fixed reason for those, and the full message goes to the gateway's log with the request path.
 *
 * <p>The one {@code UNAVAILABLE} reason passed on as it is, {@link Authenticator#UNAVAILABLE_REASON}, names no
 * server by design (its authenticator has logged the detail) and tells a user why the sign-in failed.
 * {@code CONFIGURATION} messages are passed on too: at request time they say what this gateway does not do
 * (sign-in through SAML is not implemented, docs/gateway.md), which the user needs to know.
 */
final class AgentErrors {
    /** What an agent is told when a server the gateway needs (store, federation, ...) cannot be reached. */
    static final String UNAVAILABLE = "the gateway cannot serve this request now; try again later";
    /** What an agent is told about a defect at the gateway. */
    static final String INTERNAL = "internal error; see the gateway log";

    private static final Logger LOG = LoggerFactory.getLogger(AgentErrors.class);

    private AgentErrors() {
    }

    /** The message for the agent's {@code {"code","message"}} answer to {@code e}; logs what it leaves out. */
    static String message(BatonException e, String gateway, String path) {
        return switch (e.code()) {
            case UNAVAILABLE -> {
                if (Authenticator.UNAVAILABLE_REASON.equals(e.getMessage())) {
                    yield e.getMessage();
                }
                LOG.warn("gateway {} answered {} with {}", gateway, path, e.toString());
                LOG.debug("the failure behind it", e);
                yield UNAVAILABLE;
            }
            case INTERNAL -> {
                LOG.error("gateway {} answered {} with {}", gateway, path, e.toString(), e);
                yield INTERNAL;
            }
            default -> e.getMessage();
        };
    }
}
