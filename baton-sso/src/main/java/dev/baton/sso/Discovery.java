package dev.baton.sso;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;

import java.net.URI;
import java.util.List;

/** The provider's metadata for {@code /.well-known/openid-configuration} (OpenID Connect Discovery 1.0). */
final class Discovery {
    private Discovery() {
    }

    static String document(URI issuer) {
        String base = issuer.toString().replaceAll("/+$", "");
        OIDCProviderMetadata m = new OIDCProviderMetadata(new Issuer(issuer), List.of(SubjectType.PUBLIC), URI.create(base + "/jwks"));
        m.setAuthorizationEndpointURI(URI.create(base + "/authorize"));
        m.setTokenEndpointURI(URI.create(base + "/token"));
        m.setUserInfoEndpointURI(URI.create(base + "/userinfo"));
        m.setEndSessionEndpointURI(URI.create(base + "/logout"));
        m.setResponseTypes(List.of(ResponseType.CODE));
        m.setResponseModes(List.of(ResponseMode.QUERY));
        m.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE));
        m.setScopes(new Scope(RelyingParty.KNOWN_SCOPES.toArray(String[]::new)));
        m.setTokenEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.NONE));
        m.setIDTokenJWSAlgs(List.of(JWSAlgorithm.RS256));
        m.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        m.setClaims(List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "sid", "amr", "azp",
                "preferred_username", "name", "email", "roles"));
        m.setSupportsBackChannelLogout(true);
        m.setSupportsBackChannelLogoutSession(true);
        m.setSupportsAuthorizationResponseIssuerParam(true);
        return m.toJSONObject().toJSONString();
    }
}
