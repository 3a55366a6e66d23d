package dev.baton.gateway.auth;

import dev.baton.gateway.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A certificate realm's server: the TLS client certificate is the credential. A chain is accepted when it
 * validates (PKIX, RFC 5280) up to one of the configured CAs at the current time of the injected clock, and
 * its leaf, if it restricts its extended key usage, allows TLS client authentication. The user name is
 * taken from the part of the certificate {@link CertificateConfig.Identity} names. Entries carry
 * {@code subjectDn}, {@code issuerDn} and {@code serial} (hex).
 *
 * <p>Where TLS ends in this JVM, pass {@code SSLSession.getPeerCertificates()} to {@link #authenticate(List)}.
 * Where a TLS terminator in front of the gateway checked the handshake and forwards the client certificate
 * as PEM (HAProxy's {@code ssl_c_der}, nginx's {@code $ssl_client_cert}), {@link #authenticate(String, char[])}
 * takes that PEM as the "username" and ignores the password.
 *
 * <p>Certificate sessions never migrate ({@link dev.baton.core.AuthServerKind#CERTIFICATE}), so
 * {@link #find} knows nobody. Thread-safe.
 */
public final class CertificateAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthenticator.class);
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_USAGE = "2.5.29.37.0";
    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;

    private final CertificateConfig config;
    private final Set<TrustAnchor> anchors;
    private final InstantSource clock;

    /**
     * Trusts the configured CAs.
     *
     * @param config the trusted CAs and where the user name comes from
     * @param clock  the time certificates must be valid at
     */
    public CertificateAuthenticator(CertificateConfig config, InstantSource clock) {
        this.config = config;
        this.clock = clock;
        this.anchors = config.trustedCas().stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toUnmodifiableSet());
        LOG.info("certificate authentication server configured: {}", config);
    }

    /** The CAs this realm trusts; the gateway's TLS asks clients for certificates they issued. */
    public List<X509Certificate> trustedCas() {
        return config.trustedCas();
    }

    /**
     * Signs in with a client certificate chain, leaf first (as {@code SSLSession.getPeerCertificates()} gives it).
     *
     * @return the entry, or empty if the chain does not validate or names nobody
     */
    public Optional<Entry> authenticate(List<X509Certificate> chain) {
        if (chain == null || chain.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate leaf = chain.get(0);
        if (!validates(chain) || !allowsClientAuth(leaf)) {
            return Optional.empty();
        }
        return identity(leaf).map(name -> new Entry(name, Map.of(
                "subjectDn", List.of(leaf.getSubjectX500Principal().getName()),
                "issuerDn", List.of(leaf.getIssuerX500Principal().getName()),
                "serial", List.of(leaf.getSerialNumber().toString(16)))));
    }

    /**
     * Signs in with a PEM-encoded chain forwarded by a TLS terminator.
     *
     * @param pemChain the client certificate (and any intermediates) in PEM
     * @param ignored  not used: the certificate is the credential
     */
    @Override
    public Optional<Entry> authenticate(String pemChain, char[] ignored) {
        if (pemChain == null || pemChain.isBlank()) {
            return Optional.empty();
        }
        try {
            Collection<? extends java.security.cert.Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pemChain.getBytes(StandardCharsets.US_ASCII)));
            return authenticate(parsed.stream().map(X509Certificate.class::cast).toList());
        } catch (GeneralSecurityException e) {
            LOG.info("client certificate refused: not a PEM certificate ({})", e.getMessage());
            return Optional.empty();
        }
    }

    /** Always empty: certificate sessions never migrate. */
    @Override
    public Optional<Entry> find(String username) {
        return Optional.empty();
    }

    private boolean validates(List<X509Certificate> chain) {
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false); // left to the TLS terminator; see CertificateConfig
            params.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
            return true;
        } catch (GeneralSecurityException e) {
            LOG.info("client certificate {} refused: {}", chain.get(0).getSubjectX500Principal().getName(), e.getMessage());
            return false;
        }
    }

    private static boolean allowsClientAuth(X509Certificate leaf) {
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            boolean ok = usages == null || usages.contains(CLIENT_AUTH) || usages.contains(ANY_USAGE);
            if (!ok) {
                LOG.info("client certificate {} refused: its extended key usage does not allow client authentication",
                        leaf.getSubjectX500Principal().getName());
            }
            return ok;
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private Optional<String> identity(X509Certificate leaf) {
        return switch (config.identity()) {
            case SUBJECT_DN -> Optional.of(leaf.getSubjectX500Principal().getName());
            case SUBJECT_CN -> dev.baton.http.tls.Certificates.commonName(leaf);
            case SAN_EMAIL -> alternativeName(leaf, SAN_EMAIL);
            case SAN_DNS -> alternativeName(leaf, SAN_DNS);
        };
    }

    private static Optional<String> alternativeName(X509Certificate leaf, int type) {
        try {
            Collection<List<?>> names = leaf.getSubjectAlternativeNames();
            return names == null ? Optional.empty() : names.stream().filter(n -> n.get(0).equals(type))
                    .map(n -> (String) n.get(1)).findFirst();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }
}
