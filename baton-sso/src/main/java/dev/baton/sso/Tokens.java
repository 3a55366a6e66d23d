package dev.baton.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.openid.connect.sdk.claims.SessionID;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.openid.connect.sdk.claims.AMR;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Mints and checks the provider's tokens with the Nimbus JOSE+JWT library: ID tokens (OpenID Connect Core),
 * access tokens as JWTs ({@code typ at+jwt}, RFC 9068) that only this provider's userinfo endpoint accepts,
 * and back-channel logout tokens. All are RS256 with the current {@link SigningKeys} key.
 */
final class Tokens {
    static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
    static final JOSEObjectType LOGOUT_TOKEN_TYPE = new JOSEObjectType("logout+jwt");

    private final Issuer issuer;
    private final SigningKeys keys;
    private final Duration lifetime;
    private final InstantSource clock;

    Tokens(URI issuer, SigningKeys keys, Duration lifetime, InstantSource clock) {
        this.issuer = new Issuer(issuer);
        this.keys = keys;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    Issuer issuer() {
        return issuer;
    }

    Duration lifetime() {
        return lifetime;
    }

    /** The ID token for a redeemed code; {@code claims} are the profile claims its scopes allow. */
    String idToken(Grants.Code code, Map<String, Object> claims) {
        Instant now = clock.instant();
        IDTokenClaimsSet c = new IDTokenClaimsSet(issuer, new Subject(code.user()),
                List.of(new Audience(code.ask().client().id())), Date.from(now.plus(lifetime)), Date.from(now));
        c.setAuthenticationTime(Date.from(code.authTime()));
        c.setNonce(code.ask().nonce());
        c.setSessionID(new SessionID(code.sessionHash()));
        c.setAMR(List.of(new AMR(code.amr())));
        c.setClaim("azp", code.ask().client().id());
        claims.forEach(c::setClaim);
        try {
            return sign(c.toJWTClaimsSet(), JOSEObjectType.JWT);
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new BatonException(ResultCode.INTERNAL, "cannot build an ID token: " + e.getMessage(), e);
        }
    }

    /** An access token for the userinfo endpoint. */
    String accessToken(Grants.Code code) {
        Instant now = clock.instant();
        JWTClaimsSet c = new JWTClaimsSet.Builder().issuer(issuer.getValue()).subject(code.user())
                .audience(issuer.getValue()).claim("client_id", code.ask().client().id())
                .claim("scope", code.ask().scope().toString()).claim("sid", code.sessionHash())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(Grants.random()).build();
        return sign(c, ACCESS_TOKEN_TYPE);
    }

    /** A back-channel logout token for {@code client} about the session {@code sid} of {@code user}. */
    String logoutToken(String client, String user, String sid) {
        LogoutTokenClaimsSet c = new LogoutTokenClaimsSet(issuer, new Subject(user), List.of(new Audience(client)),
                Date.from(clock.instant()), new JWTID(Grants.random()), new SessionID(sid));
        try {
            // exp is allowed and bounds how long a captured token could be replayed
            JWTClaimsSet withExpiry = new JWTClaimsSet.Builder(c.toJWTClaimsSet())
                    .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(2)))).build();
            return sign(withExpiry, LOGOUT_TOKEN_TYPE);
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new BatonException(ResultCode.INTERNAL, "cannot build a logout token: " + e.getMessage(), e);
        }
    }

    /** An access token's claims if this provider signed it, it has the access-token type, and it has not expired. */
    Optional<JWTClaimsSet> checkAccessToken(String token) {
        return verified(token, Set.of(ACCESS_TOKEN_TYPE), true);
    }

    /** An ID token's claims if this provider signed it; an expired one is accepted (an id_token_hint may be old). */
    Optional<JWTClaimsSet> checkIdTokenHint(String token) {
        return verified(token, Set.of(JOSEObjectType.JWT), false);
    }

    private Optional<JWTClaimsSet> verified(String token, Set<JOSEObjectType> types, boolean mustBeLive) {
        if (token == null || token.length() > 8_192) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader h = jwt.getHeader();
            if (!JWSAlgorithm.RS256.equals(h.getAlgorithm()) || h.getKeyID() == null || !types.contains(h.getType())) {
                return Optional.empty();
            }
            Optional<RSASSAVerifier> verifier = keys.verifier(h.getKeyID());
            if (verifier.isEmpty() || !jwt.verify(verifier.get())) {
                return Optional.empty();
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (!issuer.getValue().equals(c.getIssuer())) {
                return Optional.empty();
            }
            if (mustBeLive && (c.getExpirationTime() == null || !c.getExpirationTime().toInstant().isAfter(clock.instant()))) {
                return Optional.empty();
            }
            return Optional.of(c);
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }

    private String sign(JWTClaimsSet claims, JOSEObjectType type) {
        RSAKey key = keys.current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(type).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(keys.signer(key));
        } catch (JOSEException e) {
            throw new BatonException(ResultCode.INTERNAL, "cannot sign a token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
