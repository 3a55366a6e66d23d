package dev.baton.sso;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.config.ConfigNode;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.auth.AnonymousAuthenticator;
import dev.baton.gateway.auth.UnsupportedSsoAuthenticator;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The YAML {@code sso} section of a gateway: where the OpenID Connect provider listens, its issuer, which realms
 * its sign-in page offers with their browser-session settings, and its relying parties. Read once, at start;
 * every error names its key.
 *
 * @param listen              the provider's HTTPS address (default 127.0.0.1:9445)
 * @param issuer              the issuer URL, https; default {@code https://<listen host>:<port>}
 * @param accessTokenLifetime how long access and ID tokens are valid (default 5 minutes)
 * @param keyRotation         how often a new signing key is made (default 30 days)
 * @param realms              the realms offered, in the order written
 * @param clients             the relying parties by client id
 */
public record SsoSettings(InetSocketAddress listen, URI issuer, Duration accessTokenLifetime, Duration keyRotation,
                          Map<String, RealmOptions> realms, Map<String, RelyingParty> clients) {

    /**
     * A realm's browser-session settings.
     *
     * @param persistent    every session's cookie outlives the browser (until the session's maximum length)
     * @param keepSignedIn  the sign-in page offers "keep me signed in", which makes that one session persistent
     */
    public record RealmOptions(boolean persistent, boolean keepSignedIn) {
    }

    /** Freezes. */
    public SsoSettings {
        realms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(realms));
        clients = Map.copyOf(clients);
    }

    /** The client of that id. */
    public Optional<RelyingParty> client(String id) {
        return Optional.ofNullable(clients.get(id));
    }

    /**
     * Reads the section and checks it against the gateway's realms: a realm offered must exist and take a
     * password or a certificate (not anonymous, SAML or SiteMinder).
     */
    public static SsoSettings read(ConfigNode n, GatewayConfig gateway) {
        n.allowOnly(Set.of("listen", "issuer", "access-token-lifetime", "key-rotation", "realms", "clients"));
        String listenText = n.optionalText("listen").orElse("127.0.0.1:9445");
        InetSocketAddress listen = address(n, listenText);
        URI issuer = RelyingParty.uri(n, "issuer", n.optionalText("issuer").orElse("https://" + listenText));
        if (!"https".equals(issuer.getScheme()) || issuer.getQuery() != null) {
            throw n.error("issuer", "must be an https URL without a query");
        }
        Duration lifetime = n.duration("access-token-lifetime", Duration.ofMinutes(5));
        if (lifetime.compareTo(Duration.ofHours(1)) > 0) {
            throw n.error("access-token-lifetime", "must be at most 1h (a token cannot be taken back before it ends)");
        }
        Duration rotation = n.duration("key-rotation", Duration.ofDays(30));
        if (rotation.compareTo(lifetime.multipliedBy(2)) < 0) {
            throw n.error("key-rotation", "must be at least twice access-token-lifetime");
        }
        Map<String, RealmOptions> realms = new LinkedHashMap<>();
        n.map("realms").forEach((name, r) -> realms.put(name, realm(name, r, gateway)));
        if (realms.isEmpty()) {
            throw n.error("realms", "is required: name at least one realm of this gateway for the sign-in page");
        }
        Map<String, RelyingParty> clients = new LinkedHashMap<>();
        n.map("clients").forEach((id, c) -> clients.put(id, RelyingParty.read(id, c)));
        if (clients.isEmpty()) {
            throw n.error("clients", "is required: register at least one relying party");
        }
        return new SsoSettings(listen, issuer, lifetime, rotation, realms, clients);
    }

    private static RealmOptions realm(String name, ConfigNode r, GatewayConfig gateway) {
        RealmBinding binding = gateway.realm(name).orElseThrow(() -> new BatonException(ResultCode.CONFIGURATION, r.path() + ": " + "gateway " + gateway.name()
                + " has no realm named '" + name + "'"));
        if (binding.server() instanceof AnonymousAuthenticator || binding.server() instanceof UnsupportedSsoAuthenticator) {
            throw new BatonException(ResultCode.CONFIGURATION, r.path() + ": " + "realm " + name + " signs in neither with a password nor with a certificate");
        }
        if (!r.missing()) {
            r.allowOnly(Set.of("persistent", "keep-me-signed-in"));
        }
        return new RealmOptions(!r.missing() && r.bool("persistent", false), !r.missing() && r.bool("keep-me-signed-in", false));
    }

    private static InetSocketAddress address(ConfigNode n, String text) {
        int colon = text.lastIndexOf(':');
        try {
            if (colon < 1) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65_535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(text.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new BatonException(ResultCode.CONFIGURATION, n.path() + ".listen: expected host:port, got '" + text + "'");
        }
    }
}
