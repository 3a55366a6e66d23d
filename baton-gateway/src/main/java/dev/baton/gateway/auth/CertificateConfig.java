package dev.baton.gateway.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import static dev.baton.gateway.auth.ConfigCheck.error;
import static dev.baton.gateway.auth.ConfigCheck.require;

/**
 * Configuration of a {@link CertificateAuthenticator}; checked when built, errors name the key.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>type</th><th>meaning, default</th></tr>
 * <tr><td>{@code certificate.caFile}</td><td>path</td><td>PEM file of the CA certificates client certificates must
 *     chain to; required (read with {@link #fromFile})</td></tr>
 * <tr><td>{@code certificate.identity}</td><td>{@code subject-cn | subject-dn | san-email | san-dns}</td>
 *     <td>which part of the certificate is the user name; {@code subject-cn}</td></tr>
 * </table>
 *
 * <p>Revocation (CRL, OCSP) is not checked: the TLS terminator in front of the gateway is expected to do it.
 *
 * @param trustedCas the CA certificates (trust anchors)
 * @param identity   where the user name comes from
 */
public record CertificateConfig(List<X509Certificate> trustedCas, Identity identity) {

    /** Which part of a client certificate names the user. */
    public enum Identity {
        /** The subject's common name (CN). */
        SUBJECT_CN,
        /** The whole subject DN in RFC 2253 form. */
        SUBJECT_DN,
        /** The first rfc822Name (e-mail) subject alternative name. */
        SAN_EMAIL,
        /** The first dNSName subject alternative name (machine certificates). */
        SAN_DNS;

        /** Parses {@code subject-cn}, {@code subject-dn}, {@code san-email} or {@code san-dns}. */
        public static Identity parse(String value) {
            String key = value == null ? "" : value.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            for (Identity i : values()) {
                if (i.name().equals(key)) {
                    return i;
                }
            }
            throw error("certificate.identity", "'" + value + "' is not one of subject-cn, subject-dn, san-email, san-dns");
        }
    }

    /** Checks and freezes. */
    public CertificateConfig {
        require(trustedCas != null && !trustedCas.isEmpty(), "certificate.caFile", "must hold at least one CA certificate");
        trustedCas = List.copyOf(trustedCas);
        require(identity != null, "certificate.identity", "must be set");
    }

    /**
     * Reads the CAs from a PEM file.
     *
     * @throws dev.baton.core.BatonException with CONFIGURATION naming {@code certificate.caFile} if it cannot be read
     */
    public static CertificateConfig fromFile(Path caFile, Identity identity) {
        require(caFile != null && Files.isReadable(caFile), "certificate.caFile", caFile + " is not a readable file");
        try (InputStream in = Files.newInputStream(caFile)) {
            List<X509Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            return new CertificateConfig(cas, identity);
        } catch (IOException | CertificateException e) {
            throw error("certificate.caFile", caFile + " is not a PEM certificate file: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "CertificateConfig[trustedCas=" + trustedCas.stream().map(c -> c.getSubjectX500Principal().getName()).toList()
                + ", identity=" + identity + "]";
    }
}
