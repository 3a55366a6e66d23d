package dev.baton.core;

/** What a gateway is for; it decides how long a rebooting endpoint's session is kept (F10). */
public enum GatewayKind {
    /** A remote-access (VPN) gateway: a silent endpoint's session is kept until the idle timeout. */
    REMOTE_ACCESS,
    /** A policy (network-access-control) gateway: kept until the heartbeat timeout. */
    POLICY;

    /** Parses {@code remote-access} or {@code policy}. */
    public static GatewayKind parse(String value) {
        String key = value == null ? "" : value.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        try {
            return valueOf(key);
        } catch (IllegalArgumentException e) {
            throw new BatonException(ResultCode.CONFIGURATION,
                    "unknown gateway kind '" + value + "'; expected remote-access or policy");
        }
    }
}
