package dev.baton.cli;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCScopeValue;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.URL;
import java.time.Instant;

/**
 * The demo application's side of OpenID Connect, all of it Nimbus OAuth 2.0 SDK client classes: it reads the
 * provider's discovery document, builds authorization requests (code flow, PKCE S256, state, nonce), redeems a
 * code with its client secret (client_secret_basic) and its PKCE verifier, validates the ID token (RS256 signature
 * with a key from the provider's JWKS, issuer, audience, nonce, expiry) and builds RP-initiated logout requests.
 * Every connection to the provider trusts only the {@link SSLContext} it is given. Thread-safe.
 */
final class DemoRelyingParty {
    private static final int TIMEOUT_MS = 10_000;
    private static final int JWKS_SIZE_LIMIT = 64 * 1024;

    /** What a validated ID token says about the user, and the token itself for the logout hint. */
    record SignedIn(String user, Instant authTime, JWT idToken) {
    }

    private final ClientID client;
    private final Secret secret;
    private final URI redirect;
    private final URI afterLogout;
    private final SSLContext tls;
    private final OIDCProviderMetadata provider;
    private final IDTokenValidator validator;

    /**
     * Reads the provider's discovery document.
     *
     * @param issuer      the provider's issuer; the discovery document must name the same
     * @param redirect    this application's registered redirect URI
     * @param afterLogout this application's registered post-logout redirect URI
     * @param tls         trusts the provider's certificate, and nothing else
     */
    DemoRelyingParty(URI issuer, String clientId, String secret, URI redirect, URI afterLogout, SSLContext tls) {
        this.client = new ClientID(clientId);
        this.secret = new Secret(secret);
        this.redirect = redirect;
        this.afterLogout = afterLogout;
        this.tls = tls;
        this.provider = discover(new Issuer(issuer));
        try {
            URL jwks = provider.getJWKSetURI().toURL();
            DefaultResourceRetriever keys = new DefaultResourceRetriever(TIMEOUT_MS, TIMEOUT_MS, JWKS_SIZE_LIMIT, true,
                    tls.getSocketFactory());
            this.validator = new IDTokenValidator(provider.getIssuer(), client, JWSAlgorithm.RS256, jwks, keys);
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException("the provider's jwks_uri is not a URL: " + provider.getJWKSetURI(), e);
        }
    }

    private OIDCProviderMetadata discover(Issuer issuer) {
        try {
            HTTPRequest get = new HTTPRequest(HTTPRequest.Method.GET,
                    URI.create(issuer.getValue() + "/.well-known/openid-configuration"));
            OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(send(get).getBodyAsJSONObject());
            if (!metadata.getIssuer().equals(issuer)) {
                throw new IllegalStateException("the provider's discovery document names issuer " + metadata.getIssuer());
            }
            return metadata;
        } catch (com.nimbusds.oauth2.sdk.ParseException | java.io.IOException e) {
            throw new IllegalStateException("cannot read the provider's discovery document: " + e.getMessage(), e);
        }
    }

    /** Where to send a browser to sign in: the provider's authorization endpoint with this request's parameters. */
    URI authorize(State state, Nonce nonce, CodeVerifier verifier) {
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(OIDCScopeValue.OPENID, OIDCScopeValue.PROFILE),
                client, redirect).endpointURI(provider.getAuthorizationEndpointURI()).state(state).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
    }

    /**
     * Redeems a code at the token endpoint and validates the ID token it brings.
     *
     * @throws IllegalStateException with the provider's error or what the validation refused
     */
    SignedIn redeem(AuthorizationCode code, CodeVerifier verifier, Nonce nonce) {
        TokenRequest request = new TokenRequest(provider.getTokenEndpointURI(), new ClientSecretBasic(client, secret),
                new AuthorizationCodeGrant(code, redirect, verifier));
        try {
            TokenResponse response = OIDCTokenResponseParser.parse(send(request.toHTTPRequest()));
            if (!response.indicatesSuccess()) {
                throw new IllegalStateException("the provider refused the code: "
                        + response.toErrorResponse().getErrorObject().getCode());
            }
            JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
            IDTokenClaimsSet claims = validator.validate(idToken, nonce);
            if (claims.getAuthenticationTime() == null) {
                throw new IllegalStateException("the ID token has no auth_time");
            }
            return new SignedIn(claims.getSubject().getValue(), claims.getAuthenticationTime().toInstant(), idToken);
        } catch (com.nimbusds.oauth2.sdk.ParseException | java.io.IOException e) {
            throw new IllegalStateException("cannot redeem the code: " + e.getMessage(), e);
        } catch (com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException("the ID token is not valid: " + e.getMessage(), e);
        }
    }

    /** Where to send a browser to sign out at the provider (RP-initiated logout with the ID token as hint). */
    URI logout(JWT idToken, State state) {
        return new LogoutRequest(provider.getEndSessionEndpointURI(), idToken, afterLogout, state).toURI();
    }

    private com.nimbusds.oauth2.sdk.http.HTTPResponse send(HTTPRequest request) throws java.io.IOException {
        request.setSSLSocketFactory(tls.getSocketFactory());
        request.setConnectTimeout(TIMEOUT_MS);
        request.setReadTimeout(TIMEOUT_MS);
        return request.send();
    }
}
