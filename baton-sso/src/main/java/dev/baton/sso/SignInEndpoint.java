package dev.baton.sso;

import dev.baton.admin.AuditLog;
import dev.baton.core.BatonException;
import dev.baton.core.RetryLaterException;
import dev.baton.core.Session;
import dev.baton.core.api.SignInRequest;
import dev.baton.gateway.Credentials;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.auth.CertificateAuthenticator;
import dev.baton.gateway.http.GatewayServer;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sign-in page ({@link #show}) and its form ({@code POST /sign-in}). The credentials go through the gateway's
 * own check ({@link Credentials}): the same realms, the same admission control and throttling as an agent's
 * sign-in. A failure shows the page again with what went wrong and what to do, with the status that says it
 * (401 wrong credentials, 429 throttled with {@code Retry-After}, 503 busy or a directory unreachable).
 */
final class SignInEndpoint {
    private final SsoSettings settings;
    private final GatewayConfig gateway;
    private final Credentials credentials;
    private final AuthenticationSessions sessions;
    private final Grants grants;
    private final SignOut signOut;
    private final SsoMetrics metrics;
    private final AuditLog audit;

    SignInEndpoint(SsoSettings settings, GatewayConfig gateway, Credentials credentials, AuthenticationSessions sessions,
                   Grants grants, SignOut signOut, SsoMetrics metrics, AuditLog audit) {
        this.settings = settings;
        this.gateway = gateway;
        this.credentials = credentials;
        this.sessions = sessions;
        this.grants = grants;
        this.signOut = signOut;
        this.metrics = metrics;
        this.audit = audit;
    }

    /** Shows the sign-in page for a new flow of {@code ask}, bound to this browser. */
    void show(Context ctx, Grants.Ask ask) {
        String flow = grants.pending(ask.withBinding(Cookies.browserBinding(ctx)));
        Cookies.page(ctx, 200, SignInPage.signIn(flow, ask.client().id(), choices(), null, null));
    }

    void handle(Context ctx) {
        String flowId = ctx.formParam("flow");
        Optional<Grants.Ask> flow = grants.flow(flowId);
        if (flow.isEmpty()) {
            metrics.signIn("expired");
            Cookies.page(ctx, 400, SignInPage.error("Sign-in expired", "This sign-in page is no longer valid (a page is"
                    + " valid for 10 minutes and for one sign-in). Go back to the application and open it again."));
            return;
        }
        Grants.Ask ask = flow.get();
        if (!Cookies.presentedBinding(ctx).map(ask.browserBinding()::equals).orElse(false)) {
            metrics.signIn("foreign");
            Cookies.page(ctx, 400, SignInPage.error("Sign-in refused", "This sign-in was not started in this browser."
                    + " Open the application you want to use and sign in from there."));
            return;
        }
        String realm = ctx.formParam("realm");
        String username = ctx.formParam("username");
        if (realm == null || !settings.realms().containsKey(realm)) {
            fail(ctx, flowId, ask, 400, "Choose one of the sign-in methods on this page.", username);
            return;
        }
        Credentials.Verified who;
        try {
            boolean certificate = certificateRealm(realm);
            SignInRequest request = new SignInRequest(realm, certificate || username == null ? "" : username,
                    certificate ? null : ctx.formParam("password"), Map.of(), null);
            who = credentials.checkBrowser(request, certificate ? GatewayServer.clientCertificates(ctx) : List.of(), ctx.ip());
        } catch (BatonException e) {
            refused(ctx, flowId, ask, e, username);
            return;
        }
        signedIn(ctx, flowId, ask, who);
    }

    private void signedIn(Context ctx, String flowId, Grants.Ask ask, Credentials.Verified who) {
        SsoSettings.RealmOptions options = settings.realms().get(who.binding().realm().name());
        boolean persistent = options.persistent() || options.keepSignedIn() && "on".equals(ctx.formParam("keep"));
        List<String> carried = List.of();
        Optional<Session> previous = sessions.find(Cookies.session(ctx));
        if (previous.isPresent()) {
            if (previous.get().user().equals(who.user())) {
                carried = AuthenticationSessions.clients(previous.get()); // re-authenticated: the same user's applications stay reachable
                sessions.end(previous.get().hash());
            } else {
                signOut.end(previous.get(), "replaced"); // another user signs in in this browser: the first one is signed out everywhere
            }
        }
        String amr = certificateRealm(who.binding().realm().name()) ? "x509" : "pwd";
        AuthenticationSessions.Started started = sessions.start(who, persistent, amr, carried);
        grants.finish(flowId);
        Cookies.setSession(ctx, started.id().reveal(), sessions.cookieLifetime(started.session()));
        metrics.signIn("ok");
        audit.event("sso-sign-in", "outcome", "ok", "user", who.user(), "realm", who.binding().realm().name(),
                "session", started.session().hash().hex(), "client", ask.client().id(), "persistent", persistent, "source", ctx.ip());
        ctx.redirect(AuthorizeEndpoint.codeRedirect(grants, settings.issuer(), ask, started.session()).toString(), HttpStatus.SEE_OTHER);
    }

    private void refused(Context ctx, String flowId, Grants.Ask ask, BatonException e, String username) {
        metrics.signIn(e.code().name().toLowerCase(java.util.Locale.ROOT));
        switch (e.code()) {
            case AUTHENTICATION_FAILED -> fail(ctx, flowId, ask, 401, e.getMessage().contains("certificate")
                    ? e.getMessage() + "." : "Wrong user name or password. Check both and try again.", username);
            case THROTTLED -> {
                long wait = e instanceof RetryLaterException later ? later.retryAfterSeconds() : 60;
                ctx.header("Retry-After", Long.toString(wait));
                fail(ctx, flowId, ask, 429, "Too many failed sign-ins for this account or from this address. Wait "
                        + wait + " seconds, then try again.", username);
            }
            case OVERLOADED -> {
                ctx.header("Retry-After", "1");
                fail(ctx, flowId, ask, 503, "The service is busy checking other sign-ins. Try again in a moment.", username);
            }
            case UNAVAILABLE -> fail(ctx, flowId, ask, 503, "The account directory cannot be reached right now."
                    + " Try again in a few minutes; if it persists, tell your administrator.", username);
            case NOT_AUTHORIZED -> fail(ctx, flowId, ask, 403, "Your account was recognised but has no access here"
                    + " (no role applies to it). Ask your administrator for access.", username);
            default -> fail(ctx, flowId, ask, 400, e.getMessage(), username);
        }
    }

    private void fail(Context ctx, String flowId, Grants.Ask ask, int status, String message, String username) {
        Cookies.page(ctx, status, SignInPage.signIn(flowId, ask.client().id(), choices(), message, username));
    }

    private boolean certificateRealm(String realm) {
        return gateway.realm(realm).map(b -> b.server() instanceof CertificateAuthenticator).orElse(false);
    }

    private List<SignInPage.Choice> choices() {
        return settings.realms().entrySet().stream()
                .map(e -> new SignInPage.Choice(e.getKey(), certificateRealm(e.getKey()), e.getValue().keepSignedIn())).toList();
    }
}
