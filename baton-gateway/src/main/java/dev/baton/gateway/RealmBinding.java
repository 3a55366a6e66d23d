package dev.baton.gateway;

import dev.baton.core.BatonException;
import dev.baton.core.Realm;
import dev.baton.core.ResultCode;
import dev.baton.core.api.SignInRequest;
import dev.baton.core.UserDirectory;
import dev.baton.gateway.auth.CertificateAuthenticator;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A realm and the authentication server behind it.
 *
 * @param realm  the realm's rules
 * @param server checks credentials and answers inbound look-ups
 * @param limit  the realm's limit on a user's live sessions across the federation
 */
public record RealmBinding(Realm realm, Authenticator server, SessionLimit limit) {
    /** Validates. */
    public RealmBinding {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(server, "realm " + realm.name() + ": server");
        Objects.requireNonNull(limit, "realm " + realm.name() + ": limit");
    }

    /** A realm without a session limit. */
    public RealmBinding(Realm realm, Authenticator server) {
        this(realm, server, SessionLimit.NONE);
    }

    /**
     * Checks a sign-in's credentials with this realm's server: the client certificate chain for a certificate
     * realm, else the user name and password.
     *
     * @throws BatonException {@link ResultCode#AUTHENTICATION_FAILED} naming what was wrong
     */
    UserDirectory.Entry authenticate(SignInRequest request, List<X509Certificate> chain) {
        if (server() instanceof CertificateAuthenticator certificates) {
            if (chain.isEmpty()) {
                throw new BatonException(ResultCode.AUTHENTICATION_FAILED, "realm " + request.realm()
                        + " signs in with a TLS client certificate, and none was presented");
            }
            return certificates.authenticate(chain).orElseThrow(() -> new BatonException(ResultCode.AUTHENTICATION_FAILED,
                    "the client certificate is not trusted by realm " + request.realm()
                    + "; present a certificate issued by one of the realm's CAs (certificate.caFile)"));
        }
        char[] password = request.password() == null ? new char[0] : request.password().toCharArray();
        return server().authenticate(request.username(), password).orElseThrow(() ->
                new BatonException(ResultCode.AUTHENTICATION_FAILED, "wrong username or password for realm " + request.realm()
                        + "; check both and try again (repeated failures are delayed, then locked for a while)"));
    }
}
