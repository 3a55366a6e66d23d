package dev.baton.core;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The timeout rules of F9 and F10 as pure functions of a session, its options, the gateway kind and the
 * time. No clock is read here except through the {@link InstantSource} handed in, so tests move time by
 * hand.
 *
 * <p>Every session ends at its <em>maximum length</em>, counted from its original start whichever gateway
 * holds it now (F9). Besides that, a remote-access gateway ends a session after its <em>idle timeout</em>
 * without user activity, and a policy gateway after its <em>heartbeat timeout</em> without an agent
 * heartbeat. An endpoint that rebooted without signing out is therefore kept until exactly that second
 * deadline (F10), and resuming within it needs no credentials. A deadline is the first instant at which
 * the session is dead.
 */
public final class TimeoutRules {
    private TimeoutRules() {
    }

    /** Whether a session is alive, and if not, why. */
    public enum Verdict {
        ALIVE("alive"),
        MAX_LENGTH("maximum session length reached"),
        IDLE("idle timeout reached"),
        HEARTBEAT("heartbeat timeout reached");

        private final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        /** A readable reason. */
        public String reason() {
            return reason;
        }
    }

    /** The end of the maximum length: original start plus the role's maximum length (F9). */
    public static Instant maxLengthDeadline(Session s, SessionOptions o) {
        return s.startTime().plus(o.maxSessionLength());
    }

    /**
     * The end of the window a silent endpoint is kept (F10): last heartbeat plus the heartbeat timeout on a
     * policy gateway, last activity plus the idle timeout on a remote-access gateway.
     */
    public static Instant inactivityDeadline(Session s, SessionOptions o, GatewayKind kind) {
        return switch (kind) {
            case POLICY -> s.lastHeartbeat().plus(o.heartbeatTimeout());
            case REMOTE_ACCESS -> s.lastActivity().plus(o.idleTimeout());
        };
    }

    /** The instant the session dies on a gateway of {@code kind} if nothing more happens. */
    public static Instant deadline(Session s, SessionOptions o, GatewayKind kind) {
        return min(maxLengthDeadline(s, o), inactivityDeadline(s, o, kind));
    }

    /** The verdict at the source's current instant. */
    public static Verdict verdict(Session s, SessionOptions o, GatewayKind kind, InstantSource clock) {
        return verdictAt(s, o, kind, clock.instant());
    }

    /** The verdict at {@code now}; the maximum length is checked first. */
    public static Verdict verdictAt(Session s, SessionOptions o, GatewayKind kind, Instant now) {
        Objects.requireNonNull(now, "now");
        if (!now.isBefore(maxLengthDeadline(s, o))) {
            return Verdict.MAX_LENGTH;
        }
        if (!now.isBefore(inactivityDeadline(s, o, kind))) {
            return kind == GatewayKind.POLICY ? Verdict.HEARTBEAT : Verdict.IDLE;
        }
        return Verdict.ALIVE;
    }

    /**
     * Whether an endpoint that rebooted without signing out may resume its session at the same gateway at the
     * source's current instant, without credentials (F10).
     */
    public static boolean mayResume(Session s, SessionOptions o, GatewayKind kind, InstantSource clock) {
        return verdict(s, o, kind, clock) == Verdict.ALIVE;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
