package dev.baton.sso;

import dev.baton.admin.ApiRoute;
import dev.baton.admin.AuditLog;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.admin.GatewayAdmin;
import dev.baton.store.SessionFilter;
import dev.baton.store.SessionPage;
import dev.baton.store.SessionStore;
import dev.baton.store.TieredStoreSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Browser single sign-on on a gateway: an OpenID Connect provider whose sign-in pages check credentials with the
 * gateway's own realms and admission control, and whose authentication sessions live in the gateway's session
 * store (so they survive restarts of the gateway and, when persistent, of the browser). Started by the gateway
 * process when its YAML has an {@code sso} section (docs/sso.md).
 */
public final class SsoProvider implements AutoCloseable {
    private final SsoSettings settings;
    private final AuthenticationSessions sessions;
    private final SignOut signOut;
    private final SsoServer server;
    private final String gateway;

    private SsoProvider(SsoSettings settings, AuthenticationSessions sessions, SignOut signOut, SsoServer server, String gateway) {
        this.settings = settings;
        this.sessions = sessions;
        this.signOut = signOut;
        this.server = server;
        this.gateway = gateway;
    }

    /**
     * Starts the provider.
     *
     * @param store       the gateway's session store (not closed here)
     * @param keyFile     where the token-signing keys are kept (owner-only; made on first start)
     * @param maintenance runs the memory tier's coalesced writes and expiry
     * @param registry    where the provider's counters go
     */
    public static SsoProvider start(SsoSettings settings, Gateway gateway, SessionStore store, TieredStoreSettings tier,
                                    Path keyFile, KeyStore tls, char[] tlsPassword, InstantSource clock, MeterRegistry registry,
                                    AuditLog audit, ScheduledExecutorService maintenance) {
        // The memory tier's own meters would share names with the agent sessions' tier; they stay out of /metrics.
        AuthenticationSessions sessions = new AuthenticationSessions(gateway.config(), store, tier, clock, new SimpleMeterRegistry());
        try {
            SsoMetrics metrics = new SsoMetrics(registry);
            SigningKeys keys = new SigningKeys(keyFile, settings.keyRotation(), settings.accessTokenLifetime(), clock);
            Tokens tokens = new Tokens(settings.issuer(), keys, settings.accessTokenLifetime(), clock);
            Grants grants = new Grants(clock);
            SignOut signOut = new SignOut(settings, sessions, tokens, metrics, audit);
            SignInEndpoint signIn = new SignInEndpoint(settings, gateway.config(), gateway.credentials(), sessions, grants, signOut,
                    metrics, audit);
            SsoServer.Endpoints endpoints = new SsoServer.Endpoints(Discovery.document(settings.issuer()), tokens,
                    new AuthorizeEndpoint(settings, sessions, grants, signIn, metrics, clock), signIn,
                    new TokenEndpoint(settings, sessions, grants, tokens, metrics),
                    new LogoutEndpoint(settings, sessions, tokens, signOut, metrics), keys);
            SsoServer server = new SsoServer(settings.listen(), tls, tlsPassword, gateway.clientCertificateAuthorities(), endpoints);
            sessions.start(maintenance);
            return new SsoProvider(settings, sessions, signOut, server, gateway.name());
        } catch (RuntimeException e) {
            sessions.close();
            throw e;
        }
    }

    /** The issuer URL relying parties are configured with. */
    public URI issuer() {
        return settings.issuer();
    }

    /** The port the provider listens on. */
    public int port() {
        return server.port();
    }

    /** The admin API's routes for browser authentication sessions: list, count, detail, revoke (with back-channel logout). */
    public List<ApiRoute> adminRoutes(AuditLog audit, InstantSource clock) {
        return new GatewayAdmin(new GatewayAdmin.Sessions() {
            @Override
            public String name() {
                return gateway;
            }

            @Override
            public SessionPage sessions(SessionFilter filter, Optional<SessionPage.Cursor> after, int limit) {
                return sessions.page(filter, after, limit);
            }

            @Override
            public long countSessions(SessionFilter filter) {
                return sessions.count(filter);
            }

            @Override
            public Optional<Session> session(SessionIdHash hash) {
                return sessions.live(hash);
            }

            @Override
            public boolean revoke(SessionIdHash hash) {
                Optional<Session> s = sessions.live(hash);
                s.ifPresent(session -> signOut.end(session, "revoked"));
                return s.isPresent();
            }
        }, "/authentication-sessions", audit, clock, Optional.empty()).routes();
    }

    /** Stops serving and writes what is pending. */
    @Override
    public void close() {
        server.close();
        sessions.close();
    }
}
