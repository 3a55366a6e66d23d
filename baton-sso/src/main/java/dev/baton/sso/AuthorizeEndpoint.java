package dev.baton.sso;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.OIDCError;
import com.nimbusds.openid.connect.sdk.Prompt;
import dev.baton.core.Session;
import io.javalin.http.Context;

import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|POST /authorize}: the authorization code flow's first step. A request from a registered client to a
 * registered redirect URI is checked with the Nimbus OpenID Connect SDK; a browser with a live authentication
 * session (and no {@code prompt=login}, and within {@code max_age}) is sent straight back with a code, any other
 * gets the sign-in page ({@link SignInEndpoint}). An unknown client or redirect URI gets an error page, never a
 * redirect: a provider that redirected there would be an open redirector.
 */
final class AuthorizeEndpoint {
    private final SsoSettings settings;
    private final AuthenticationSessions sessions;
    private final Grants grants;
    private final SignInEndpoint signIn;
    private final SsoMetrics metrics;
    private final InstantSource clock;

    AuthorizeEndpoint(SsoSettings settings, AuthenticationSessions sessions, Grants grants, SignInEndpoint signIn,
                      SsoMetrics metrics, InstantSource clock) {
        this.settings = settings;
        this.sessions = sessions;
        this.grants = grants;
        this.signIn = signIn;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** An authorization request the browser cannot be sent back with: shown as a page. */
    static final class PageError extends RuntimeException {
        final int status;
        final String title;

        PageError(int status, String title, String message) {
            super(message, null, false, false);
            this.status = status;
            this.title = title;
        }
    }

    void handle(Context ctx) {
        Map<String, List<String>> params = ctx.method().name().equals("POST") ? ctx.formParamMap() : ctx.queryParamMap();
        Grants.Ask ask;
        try {
            ask = ask(params);
        } catch (PageError e) {
            metrics.authorize("refused");
            Cookies.page(ctx, e.status, SignInPage.error(e.title, e.getMessage()));
            return;
        } catch (Redirect r) {
            metrics.authorize("error");
            ctx.redirect(r.location.toString(), io.javalin.http.HttpStatus.FOUND);
            return;
        }
        Optional<Session> current = sessions.find(Cookies.session(ctx));
        boolean fresh = current.isPresent() && (ask.maxAge() < 0
                || !current.get().startTime().plusSeconds(ask.maxAge()).isBefore(clock.instant()));
        if (current.isPresent() && fresh && !ask.forceSignIn()) {
            metrics.authorize("code");
            ctx.redirect(codeRedirect(ask, current.get()).toString(), io.javalin.http.HttpStatus.FOUND);
            return;
        }
        if (ask.noPrompt()) {
            metrics.authorize("login-required");
            ctx.redirect(error(ask, OIDCError.LOGIN_REQUIRED.setDescription("no live sign-in session in this browser")).toString(),
                    io.javalin.http.HttpStatus.FOUND);
            return;
        }
        metrics.authorize("sign-in-page");
        signIn.show(ctx, ask);
    }

    /** The redirect that carries a new code for {@code session} to the client. */
    URI codeRedirect(Grants.Ask ask, Session session) {
        return codeRedirect(grants, settings.issuer(), ask, session);
    }

    /** As above, for the sign-in form's success. */
    static URI codeRedirect(Grants grants, URI issuer, Grants.Ask ask, Session session) {
        String code = grants.issue(new Grants.Code(ask, session.hash().hex(), session.user(), session.startTime(),
                session.attributes().getOrDefault(AuthenticationSessions.ATTR_AMR, List.of("pwd")).get(0)));
        return new AuthenticationSuccessResponse(ask.redirectUri(), new AuthorizationCode(code), null, null, ask.state(), null,
                new com.nimbusds.oauth2.sdk.id.Issuer(issuer), ResponseMode.QUERY).toURI();
    }

    URI error(Grants.Ask ask, ErrorObject e) {
        return new AuthenticationErrorResponse(ask.redirectUri(), e, ask.state(),
                new com.nimbusds.oauth2.sdk.id.Issuer(settings.issuer()), ResponseMode.QUERY).toURI();
    }

    /** An error answer to the client's redirect URI. */
    private static final class Redirect extends RuntimeException {
        final URI location;

        Redirect(URI location) {
            super(null, null, false, false);
            this.location = location;
        }
    }

    private Grants.Ask ask(Map<String, List<String>> params) {
        RelyingParty client = settings.client(single(params, "client_id")).orElseThrow(() -> new PageError(400,
                "Unknown application", "The application that sent you here is not registered with this sign-in service"
                + " (client_id " + single(params, "client_id") + "). Go back and tell its administrator."));
        URI redirect = redirectUri(client, single(params, "redirect_uri"));
        AuthenticationRequest request;
        try {
            request = AuthenticationRequest.parse(params);
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() == null ? OAuth2Error.INVALID_REQUEST : e.getErrorObject();
            throw new Redirect(new AuthenticationErrorResponse(redirect, error.setDescription(e.getMessage()), e.getState(),
                    new com.nimbusds.oauth2.sdk.id.Issuer(settings.issuer()), ResponseMode.QUERY).toURI());
        }
        Grants.Ask ask = new Grants.Ask(client, redirect, request.getState(), request.getNonce(), granted(client, request.getScope()),
                request.getCodeChallenge(), has(request.getPrompt(), Prompt.Type.LOGIN), has(request.getPrompt(), Prompt.Type.NONE),
                request.getMaxAge(), null);
        check(ask, request);
        return ask;
    }

    private void check(Grants.Ask ask, AuthenticationRequest request) {
        if (request.getRequestObject() != null || request.getRequestURI() != null) {
            throw new Redirect(error(ask, OAuth2Error.REQUEST_NOT_SUPPORTED));
        }
        if (!request.getResponseType().equals(ResponseType.CODE)) {
            throw new Redirect(error(ask, OAuth2Error.UNSUPPORTED_RESPONSE_TYPE.setDescription("only response_type=code is supported")));
        }
        if (request.getResponseMode() != null && !request.getResponseMode().equals(ResponseMode.QUERY)) {
            throw new Redirect(error(ask, OAuth2Error.INVALID_REQUEST.setDescription("only response_mode=query is supported")));
        }
        if (request.getCodeChallenge() == null && ask.client().isPublic()) {
            throw new Redirect(error(ask, OAuth2Error.INVALID_REQUEST.setDescription("a public client must send a PKCE code_challenge")));
        }
        if (request.getCodeChallenge() != null && !CodeChallengeMethod.S256.equals(request.getCodeChallengeMethod())) {
            throw new Redirect(error(ask, OAuth2Error.INVALID_REQUEST.setDescription("code_challenge_method must be S256")));
        }
        if (ask.noPrompt() && request.getPrompt().size() > 1) {
            throw new Redirect(error(ask, OAuth2Error.INVALID_REQUEST.setDescription("prompt=none cannot be combined")));
        }
    }

    private static URI redirectUri(RelyingParty client, String text) {
        if (text == null) {
            throw new PageError(400, "Sign-in request incomplete", "The application " + client.id()
                    + " did not say where to send you back (redirect_uri). Go back and tell its administrator.");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !client.redirectUris().contains(uri)) {
            throw new PageError(400, "Sign-in request refused", "The address the application " + client.id()
                    + " asked to send you back to is not registered for it. Go back and tell its administrator.");
        }
        return uri;
    }

    private static Scope granted(RelyingParty client, Scope asked) {
        Scope out = new Scope();
        if (asked != null) {
            asked.toStringList().stream().filter(client.scopes()::contains).forEach(out::add);
        }
        return out;
    }

    private static boolean has(Prompt prompt, Prompt.Type type) {
        return prompt != null && prompt.contains(type);
    }

    private static String single(Map<String, List<String>> params, String key) {
        List<String> v = params.get(key);
        return v == null || v.size() != 1 ? null : v.get(0);
    }
}
