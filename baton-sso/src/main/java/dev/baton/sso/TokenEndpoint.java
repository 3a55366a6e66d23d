package dev.baton.sso;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import io.javalin.http.Context;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /token} (authorization code grant: client authentication, single-use code, exact redirect URI,
 * PKCE) and {@code GET|POST /userinfo} (a bearer access token of a session that is still alive). Requests and
 * answers are parsed and written by the Nimbus OAuth 2.0 SDK; errors are the standard OAuth JSON.
 */
final class TokenEndpoint {
    private final SsoSettings settings;
    private final AuthenticationSessions sessions;
    private final Grants grants;
    private final Tokens tokens;
    private final SsoMetrics metrics;

    TokenEndpoint(SsoSettings settings, AuthenticationSessions sessions, Grants grants, Tokens tokens, SsoMetrics metrics) {
        this.settings = settings;
        this.sessions = sessions;
        this.grants = grants;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    /** A refusal with its OAuth error. */
    private static final class Refused extends RuntimeException {
        final ErrorObject error;

        Refused(ErrorObject error, String description) {
            super(description, null, false, false);
            this.error = error.setDescription(description);
        }
    }

    void token(Context ctx) {
        try {
            TokenRequest request = TokenRequest.parse(nimbusRequest(ctx));
            RelyingParty client = authenticate(request);
            if (!(request.getAuthorizationGrant() instanceof AuthorizationCodeGrant grant)) {
                throw new Refused(OAuth2Error.UNSUPPORTED_GRANT_TYPE, "only the authorization_code grant is supported");
            }
            Grants.Code code = grants.redeem(grant.getAuthorizationCode().getValue())
                    .orElseThrow(() -> new Refused(OAuth2Error.INVALID_GRANT, "the code is unknown, already used or expired"));
            check(code, client, grant);
            Session session = sessions.live(SessionIdHash.parse(code.sessionHash()))
                    .orElseThrow(() -> new Refused(OAuth2Error.INVALID_GRANT, "the sign-in session of this code has ended"));
            session = sessions.joined(session, client.id());
            String access = tokens.accessToken(code);
            String id = tokens.idToken(code, claims(session, code.ask().scope().toStringList()));
            OIDCTokens issued = new OIDCTokens(SignedJWT.parse(id),
                    new BearerAccessToken(access, tokens.lifetime().toSeconds(), code.ask().scope()), null);
            metrics.token("ok");
            write(ctx, new OIDCTokenResponse(issued).toHTTPResponse());
        } catch (Refused e) {
            metrics.token(e.error.getCode());
            write(ctx, new TokenErrorResponse(e.error).toHTTPResponse());
        } catch (ParseException e) {
            metrics.token("invalid_request");
            ErrorObject error = e.getErrorObject() == null ? OAuth2Error.INVALID_REQUEST : e.getErrorObject();
            write(ctx, new TokenErrorResponse(error.setDescription(e.getMessage())).toHTTPResponse());
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("an ID token just signed does not parse", e);
        }
    }

    private RelyingParty authenticate(TokenRequest request) {
        ClientAuthentication auth = request.getClientAuthentication();
        ClientID id = auth != null ? auth.getClientID() : request.getClientID();
        RelyingParty client = Optional.ofNullable(id).flatMap(c -> settings.client(c.getValue()))
                .orElseThrow(() -> new Refused(OAuth2Error.INVALID_CLIENT, "unknown client"));
        String secret = auth instanceof ClientSecretBasic basic ? basic.getClientSecret().getValue()
                : auth instanceof ClientSecretPost post ? post.getClientSecret().getValue() : null;
        if (auth != null && secret == null) {
            throw new Refused(OAuth2Error.INVALID_CLIENT, "use client_secret_basic or client_secret_post");
        }
        if (client.isPublic() ? auth != null : !client.secretMatches(secret)) {
            throw new Refused(OAuth2Error.INVALID_CLIENT, client.isPublic() ? "a public client sends no secret"
                    : "client authentication failed");
        }
        return client;
    }

    private static void check(Grants.Code code, RelyingParty client, AuthorizationCodeGrant grant) {
        if (!code.ask().client().id().equals(client.id())) {
            throw new Refused(OAuth2Error.INVALID_GRANT, "the code was issued to another client");
        }
        URI redirect = grant.getRedirectionURI();
        if (redirect == null || !redirect.equals(code.ask().redirectUri())) {
            throw new Refused(OAuth2Error.INVALID_GRANT, "redirect_uri differs from the authorization request's");
        }
        CodeChallenge challenge = code.ask().challenge();
        CodeVerifier verifier = grant.getCodeVerifier();
        if (challenge == null && verifier != null) {
            throw new Refused(OAuth2Error.INVALID_GRANT, "code_verifier sent, but the authorization request had no code_challenge");
        }
        if (challenge != null && (verifier == null || !CodeChallenge.compute(CodeChallengeMethod.S256, verifier).equals(challenge))) {
            throw new Refused(OAuth2Error.INVALID_GRANT, verifier == null ? "code_verifier is required (PKCE)"
                    : "code_verifier does not match the code_challenge");
        }
    }

    void userInfo(Context ctx) {
        String header = ctx.header("Authorization");
        Optional<JWTClaimsSet> token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? tokens.checkAccessToken(header.substring(7).strip()) : Optional.empty();
        Optional<Session> session = token.flatMap(t -> sid(t)).flatMap(sessions::live);
        if (session.isEmpty()) {
            metrics.userInfo("invalid_token");
            ctx.status(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return;
        }
        List<String> scopes = List.of(String.valueOf(token.get().getClaim("scope")).split(" "));
        UserInfo info = new UserInfo(new com.nimbusds.oauth2.sdk.id.Subject(session.get().user()));
        claims(session.get(), scopes).forEach(info::setClaim);
        metrics.userInfo("ok");
        ctx.contentType("application/json").result(info.toJSONObject().toJSONString());
    }

    private static Optional<SessionIdHash> sid(JWTClaimsSet t) {
        try {
            return Optional.of(SessionIdHash.parse(String.valueOf(t.getClaim("sid"))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The claims the scopes allow: profile (preferred_username, name), email, roles. */
    static Map<String, Object> claims(Session s, List<String> scopes) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (scopes.contains("profile")) {
            c.put("preferred_username", s.user());
            first(s, "displayName", "cn").ifPresent(v -> c.put("name", v));
        }
        if (scopes.contains("email")) {
            first(s, "mail", "email").ifPresent(v -> c.put("email", v));
        }
        if (scopes.contains("roles")) {
            c.put("roles", List.copyOf(s.roles()));
        }
        return c;
    }

    private static Optional<String> first(Session s, String... names) {
        for (String n : names) {
            List<String> v = s.attributes().get(n);
            if (v != null && !v.isEmpty()) {
                return Optional.of(v.get(0));
            }
        }
        return Optional.empty();
    }

    private HTTPRequest nimbusRequest(Context ctx) {
        HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create(settings.issuer() + "/token"));
        Optional.ofNullable(ctx.header("Content-Type")).ifPresent(v -> r.setHeader("Content-Type", v));
        Optional.ofNullable(ctx.header("Authorization")).ifPresent(v -> r.setHeader("Authorization", v));
        r.setBody(ctx.body());
        return r;
    }

    private static void write(Context ctx, HTTPResponse response) {
        ctx.status(response.getStatusCode());
        response.getHeaderMap().forEach((k, v) -> v.forEach(value -> ctx.res().addHeader(k, value)));
        ctx.result(response.getBody() == null ? "" : response.getBody());
    }
}
