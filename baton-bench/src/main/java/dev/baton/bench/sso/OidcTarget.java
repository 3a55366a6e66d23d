package dev.baton.bench.sso;

import java.net.URI;
import java.util.Objects;

/**
 * An OpenID Connect provider as the benchmark drives it: where its authorization and token endpoints are,
 * the confidential client registered for the benchmark, and the user who signs in. The same
 * {@link BrowserClient} code drives every target; only this record differs between Baton and Keycloak.
 * Immutable.
 *
 * @param name          the name in result lines ({@code baton}, {@code keycloak})
 * @param authorize     the authorization endpoint
 * @param token         the token endpoint
 * @param clientId      the confidential client's id
 * @param clientSecret  its secret, sent with HTTP basic authentication (client_secret_basic)
 * @param redirectUri   a redirect URI registered for the client; never fetched, since redirects are not followed
 * @param username      the user who signs in
 * @param password      the user's password
 */
record OidcTarget(String name, URI authorize, URI token, String clientId, String clientSecret, URI redirectUri,
                  String username, String password) {
    OidcTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(authorize, "authorize");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() { // no secret, no password in notes
        return name + " (authorize " + authorize + ", token " + token + ", client " + clientId + ", user " + username + ")";
    }
}
