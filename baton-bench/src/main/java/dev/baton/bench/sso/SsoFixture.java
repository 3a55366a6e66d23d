package dev.baton.bench.sso;

import java.net.URI;

/**
 * What both providers are set up with: one confidential client and one user, the same names and secrets on
 * either side. The redirect URI is registered but never fetched (the simulated browsers do not follow
 * redirects). Immutable.
 *
 * @param clientId     the confidential client's id
 * @param clientSecret its secret (at least 16 characters, as Baton requires)
 * @param redirectUri  its registered redirect URI
 * @param username     the user who signs in
 * @param password     the user's password
 */
record SsoFixture(String clientId, String clientSecret, URI redirectUri, String username, String password) {
    /** The benchmark's fixture. */
    static final SsoFixture STANDARD = new SsoFixture("bench-app", "bench-app-secret-0123456789",
            URI.create("http://127.0.0.1:9/bench-app/callback"), "alice", "alice-bench-password-1");
}
