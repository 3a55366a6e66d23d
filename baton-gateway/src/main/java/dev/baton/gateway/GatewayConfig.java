package dev.baton.gateway;

import dev.baton.core.AccessPolicy;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.ResultCode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A gateway's frozen configuration, validated once when built.
 *
 * @param name             the gateway's name, unique in the federation
 * @param kind             remote-access or policy (F10)
 * @param migrationEnabled whether sessions may migrate in (F5); when off, agents must sign in again
 * @param realms           the realms in order; a gateway may be in one authentication group per realm
 * @param access           roles and Host Checker policies
 * @param hostCheckTimeout how long a session keeps its roles without a posture report; past it the session
 *                         falls back to its realm's remediation role, or ends if there is none (F8)
 */
public record GatewayConfig(String name, GatewayKind kind, boolean migrationEnabled, List<RealmBinding> realms, AccessPolicy access,
                            Duration hostCheckTimeout, dev.baton.gateway.admission.AdmissionSettings admission) {

    /** Default Host Checker timeout: 10 minutes. */
    public static final Duration DEFAULT_HOST_CHECK_TIMEOUT = Duration.ofMinutes(10);

    /** A configuration with the default Host Checker timeout. */
    public GatewayConfig(String name, GatewayKind kind, boolean migrationEnabled, List<RealmBinding> realms, AccessPolicy access) {
        this(name, kind, migrationEnabled, realms, access, DEFAULT_HOST_CHECK_TIMEOUT);
    }

    /** A configuration with the default admission control. */
    public GatewayConfig(String name, GatewayKind kind, boolean migrationEnabled, List<RealmBinding> realms, AccessPolicy access,
                         Duration hostCheckTimeout) {
        this(name, kind, migrationEnabled, realms, access, hostCheckTimeout, dev.baton.gateway.admission.AdmissionSettings.DEFAULTS);
    }

    /** Validates names and references; failures name the key. */
    public GatewayConfig {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new BatonException(ResultCode.CONFIGURATION,
                    "gateway name must be 1 to 63 letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        Objects.requireNonNull(kind, "gateway " + name + ": kind");
        Objects.requireNonNull(admission, "gateway " + name + ": admission");
        realms = List.copyOf(realms);
        Objects.requireNonNull(access, "gateway " + name + ": access");
        Map<String, RealmBinding> seen = new LinkedHashMap<>();
        for (RealmBinding b : realms) {
            if (seen.put(b.realm().name(), b) != null) {
                throw new BatonException(ResultCode.CONFIGURATION, "gateway " + name + ": realm " + b.realm().name() + " is defined twice");
            }
            access.validate(b.realm());
        }
        if (hostCheckTimeout == null || hostCheckTimeout.isNegative() || hostCheckTimeout.isZero()) {
            throw new BatonException(ResultCode.CONFIGURATION, "gateway " + name + ": host-checker-timeout must be positive");
        }
        if (realms.isEmpty()) {
            throw new BatonException(ResultCode.CONFIGURATION, "gateway " + name + ": at least one realm is required");
        }
    }

    /** The realm of that name. */
    public Optional<RealmBinding> realm(String realmName) {
        return realms.stream().filter(b -> b.realm().name().equals(realmName)).findFirst();
    }

    /** The CAs of the certificate realms, whose certificates a gateway's TLS asks clients for. */
    public List<java.security.cert.X509Certificate> clientCertificateAuthorities() {
        return realms.stream().map(RealmBinding::server)
                .filter(s -> s instanceof dev.baton.gateway.auth.CertificateAuthenticator)
                .flatMap(s -> ((dev.baton.gateway.auth.CertificateAuthenticator) s).trustedCas().stream()).toList();
    }
}
