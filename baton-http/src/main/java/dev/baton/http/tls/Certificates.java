package dev.baton.http.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** What Baton reads from a client certificate's subject. */
public final class Certificates {
    private Certificates() {
    }

    /**
     * The subject's most specific common name: the leftmost CN of its RFC 4514 form (a subject may carry
     * several), or empty when it has none or cannot be read.
     */
    public static Optional<String> commonName(X509Certificate cert) {
        try {
            List<Rdn> rdns = new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
            // getRdns() lists the rightmost RDN first
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
                    return Optional.of(rdns.get(i).getValue().toString());
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
