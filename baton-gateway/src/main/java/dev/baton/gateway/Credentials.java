package dev.baton.gateway;

import dev.baton.core.AccessPolicy;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.RoleMappingRule;
import dev.baton.core.UserDirectory;
import dev.baton.core.api.SignInRequest;
import dev.baton.gateway.admission.AdmissionControl;
import dev.baton.gateway.auth.AnonymousAuthenticator;
import dev.baton.gateway.auth.CertificateAuthenticator;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The credential check every sign-in of a gateway goes through, an agent's or a browser's: the realm's
 * authentication server behind admission control (a throttled user name or address, or a gateway busy with other
 * sign-ins, is refused before any password is hashed), then role mapping. No session is made here.
 */
public final class Credentials {
    private final GatewayConfig config;
    private final AdmissionControl admission;
    private final GatewayEvents events;

    Credentials(GatewayConfig config, AdmissionControl admission, GatewayEvents events) {
        this.config = Objects.requireNonNull(config, "config");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Who signed in, in which realm, with which roles.
     *
     * @param binding  the realm and its server
     * @param user     the user's name: the certificate's or the anonymous realm's name, else the name typed
     * @param facts    the attributes the server returned
     * @param decision the roles role mapping gave
     */
    public record Verified(RealmBinding binding, String user, Map<String, List<String>> facts, AccessPolicy.Decision decision) {
    }

    /** The realm named {@code name}; {@link ResultCode#INVALID_REQUEST} naming it if this gateway has none. */
    RealmBinding realm(String name) {
        return config.realm(name).orElseThrow(() -> new BatonException(ResultCode.INVALID_REQUEST, "gateway " + config.name()
                + " has no realm named '" + name + "'; check the realm's name with the gateway's operator"));
    }

    /**
     * Checks a browser's credentials: {@link #check} that also counts and audits a refusal as a sign-in
     * failure, as an agent's sign-in does.
     */
    public Verified checkBrowser(SignInRequest request, List<X509Certificate> chain, String source) {
        try {
            return check(request, chain, source);
        } catch (BatonException e) {
            events.signInFailed(request.realm(), request.username(), e, source);
            throw e;
        }
    }

    /**
     * Checks the credentials of {@code request} (the agent key is not looked at) with admission control, and maps
     * roles with the request's posture.
     *
     * @param chain  the TLS client certificate chain, leaf first (may be empty)
     * @param source the client's address, for the per-address throttle of failed sign-ins
     * @throws BatonException {@link ResultCode#INVALID_REQUEST} for an unknown realm,
     *                        {@link ResultCode#AUTHENTICATION_FAILED}, {@link ResultCode#THROTTLED},
     *                        {@link ResultCode#OVERLOADED} or {@link ResultCode#NOT_AUTHORIZED} (no role mapped)
     */
    Verified check(SignInRequest request, List<X509Certificate> chain, String source) {
        RealmBinding binding = realm(request.realm());
        UserDirectory.Entry entry = admission.signIn(request.realm(), request.username(), source,
                () -> binding.authenticate(request, chain));
        // A certificate names its user, and an anonymous realm its one configured name; other servers confirm the
        // name typed (a directory's entry name is a DN).
        String user = binding.server() instanceof CertificateAuthenticator
                || binding.server() instanceof AnonymousAuthenticator ? entry.name() : request.username();
        AccessPolicy.Decision decision = config.access().decide(binding.realm(),
                RoleMappingRule.UserFacts.of(user, entry.attributes()), request.posture());
        return new Verified(binding, user, entry.attributes(), decision);
    }
}
