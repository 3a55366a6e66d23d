package dev.baton.sso;

import dev.baton.core.BatonException;
import dev.baton.core.Loopback;
import dev.baton.core.ResultCode;
import dev.baton.core.config.ConfigNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One registered relying party (an OpenID Connect client) of the provider, from the YAML {@code sso.clients}.
 * Redirect URIs are compared exactly (no prefix, no wildcard), as OAuth 2.0 Security BCP asks.
 *
 * @param id                     the client id
 * @param secret                 the client secret of a confidential client; empty for a public client
 * @param redirectUris           where codes may be sent
 * @param postLogoutRedirectUris where a browser may be sent back after signing out
 * @param backChannelLogoutUri   where logout tokens are posted when a session this client took part in ends
 * @param scopes                 the scopes it may ask for ({@code openid} always)
 */
public record RelyingParty(String id, Optional<String> secret, Set<URI> redirectUris, Set<URI> postLogoutRedirectUris,
                           Optional<URI> backChannelLogoutUri, Set<String> scopes) {
    /** Scopes the provider knows. */
    public static final Set<String> KNOWN_SCOPES = Set.of("openid", "profile", "email", "roles");
    /** Shortest client secret accepted: 16 characters. */
    public static final int MIN_SECRET = 16;

    /** Validates and freezes. */
    public RelyingParty {
        Objects.requireNonNull(id, "id");
        redirectUris = Set.copyOf(redirectUris);
        postLogoutRedirectUris = Set.copyOf(postLogoutRedirectUris);
        scopes = Set.copyOf(scopes);
    }

    /** Whether the client has no secret and must prove its requests with PKCE alone. */
    public boolean isPublic() {
        return secret.isEmpty();
    }

    /** Whether {@code presented} is this client's secret, compared in constant time. */
    public boolean secretMatches(String presented) {
        return secret.isPresent() && presented != null && MessageDigest.isEqual(
                secret.get().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads {@code sso.clients.ID}; errors name the key. */
    static RelyingParty read(String id, ConfigNode n) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")) {
            throw new BatonException(ResultCode.CONFIGURATION, n.path() + ": a client id is 1 to 128 letters, digits, '.', '_', ':' or '-'");
        }
        n.allowOnly(Set.of("secret", "public", "redirect-uris", "post-logout-redirect-uris", "backchannel-logout-uri", "scopes"));
        boolean isPublic = n.bool("public", false);
        Optional<String> secret = n.optionalSecret("secret");
        if (isPublic == secret.isPresent()) {
            throw n.error("secret", isPublic ? "must not be given for a public client"
                    : "is required: give secret (at least " + MIN_SECRET + " characters), or public: true for a client that uses PKCE alone");
        }
        if (secret.isPresent() && secret.get().length() < MIN_SECRET) {
            throw n.error("secret", "must be at least " + MIN_SECRET + " characters");
        }
        Set<URI> redirects = uris(n, "redirect-uris");
        if (redirects.isEmpty()) {
            throw n.error("redirect-uris", "is required: at least one URI codes may be sent to");
        }
        Set<String> scopes = new LinkedHashSet<>(n.has("scopes") ? n.texts("scopes") : List.of("openid", "profile", "email"));
        scopes.add("openid");
        for (String s : scopes) {
            if (!KNOWN_SCOPES.contains(s)) {
                throw n.error("scopes", "unknown scope '" + s + "'; known: " + KNOWN_SCOPES);
            }
        }
        Optional<URI> backChannel = n.optionalText("backchannel-logout-uri").map(u -> uri(n, "backchannel-logout-uri", u));
        return new RelyingParty(id, secret, redirects, uris(n, "post-logout-redirect-uris"), backChannel, scopes);
    }

    private static Set<URI> uris(ConfigNode n, String key) {
        Set<URI> out = new LinkedHashSet<>();
        for (String text : n.has(key) ? n.texts(key) : List.<String>of()) {
            out.add(uri(n, key, text));
        }
        return out;
    }

    /** An absolute https URI without a fragment; plain http only to a loopback host. */
    static URI uri(ConfigNode n, String key, String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw n.error(key, "'" + text + "' is not a URI: " + e.getReason());
        }
        if (!u.isAbsolute() || u.getHost() == null || u.getFragment() != null) {
            throw n.error(key, "'" + text + "' must be an absolute URI with a host and without a fragment");
        }
        boolean https = "https".equals(u.getScheme());
        if (!https && !("http".equals(u.getScheme()) && Loopback.isLoopbackHost(u.getHost()))) {
            throw n.error(key, "'" + text + "' must use https (plain http only to a loopback host)");
        }
        return u;
    }

    /** A client that is not registered: refused by name. */
    static BatonException unknown(String id) {
        return new BatonException(ResultCode.INVALID_REQUEST, "no client '" + id + "' is registered");
    }
}
