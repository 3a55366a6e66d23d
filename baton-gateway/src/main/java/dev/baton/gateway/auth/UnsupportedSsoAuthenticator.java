package dev.baton.gateway.auth;

import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.gateway.Authenticator;

import java.util.Optional;

/**
 * The server of a SAML or CA SiteMinder realm. In those realms another single sign-on system owns the
 * session, so their sessions never migrate (see {@link AuthServerKind#SAML}); Baton does not implement
 * their sign-in yet. The realm can be configured and named, and every sign-in is refused with a clear
 * {@link ResultCode#CONFIGURATION} error rather than a misleading "wrong password". Immutable, thread-safe.
 */
public final class UnsupportedSsoAuthenticator implements Authenticator {
    private final AuthServerKind kind;

    /**
     * @param kind {@link AuthServerKind#SAML} or {@link AuthServerKind#SITEMINDER}
     * @throws BatonException with CONFIGURATION for any other kind
     */
    public UnsupportedSsoAuthenticator(AuthServerKind kind) {
        ConfigCheck.require(kind == AuthServerKind.SAML || kind == AuthServerKind.SITEMINDER, "kind",
                "only SAML and SiteMinder realms use this server, not " + (kind == null ? "none" : kind.displayName()));
        this.kind = kind;
    }

    /**
     * Always refuses.
     *
     * @throws BatonException with {@link ResultCode#CONFIGURATION} saying sign-in for this kind is not implemented
     */
    @Override
    public Optional<Entry> authenticate(String username, char[] password) {
        throw new BatonException(ResultCode.CONFIGURATION, "sign-in to " + kind.displayName()
                + " realms is not implemented in Baton yet; the " + kind.displayName()
                + " system signs users in, and its sessions never migrate");
    }

    /** Always empty: sessions of this kind never migrate. */
    @Override
    public Optional<Entry> find(String username) {
        return Optional.empty();
    }
}
