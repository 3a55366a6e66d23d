package dev.baton.gateway.auth;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.baton.gateway.auth.ConfigCheck.error;
import static dev.baton.gateway.auth.ConfigCheck.require;

/**
 * Configuration of an {@link LdapAuthenticator}, frozen and checked when built; every error names its
 * key. {@link #toString()} masks the service password, so the record can be logged as it is.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>type</th><th>meaning, default</th></tr>
 * <tr><td>(realm kind)</td><td>{@code ldap | active-directory}</td><td>the directory flavour ({@link Mode}) follows the realm's kind</td></tr>
 * <tr><td>{@code ldap.servers}</td><td>list of host[:port]</td><td>tried in order (fail-over); port 389, 636 for ldaps</td></tr>
 * <tr><td>{@code ldap.security}</td><td>{@code start-tls | ldaps | none}</td><td>how the connection is protected;
 *     {@code start-tls}. The server certificate must chain to a trusted CA and name the host (DNS or IP SAN);
 *     {@code none} sends passwords in clear and is meant for loopback tests</td></tr>
 * <tr><td>{@code ldap.caFile}</td><td>path</td><td>PEM file of the CAs trusted for the directory's certificate;
 *     the JVM's default trust store</td></tr>
 * <tr><td>{@code ldap.bindDn}</td><td>DN</td><td>service account used for searches; none = anonymous search</td></tr>
 * <tr><td>{@code ldap.bindPassword}</td><td>secret</td><td>the service account's password; required with bindDn</td></tr>
 * <tr><td>{@code ldap.baseDn}</td><td>DN</td><td>where users are searched (subtree)</td></tr>
 * <tr><td>{@code ldap.userFilter}</td><td>filter with {@code {0}}</td><td>{@code {0}} is the escaped username;
 *     {@code (uid={0})}, or {@code (sAMAccountName={0})} for Active Directory</td></tr>
 * <tr><td>{@code ldap.attributes}</td><td>list of names</td><td>attributes returned for role mapping; none</td></tr>
 * <tr><td>{@code ldap.domain}</td><td>DNS domain</td><td>Active Directory only: bind as {@code user@domain}
 *     instead of searching for the user's DN first; none</td></tr>
 * <tr><td>{@code ldap.attributeLookup}</td><td>boolean</td><td>Active Directory only: whether attributes are
 *     looked up at all (plain LDAP always returns them); false</td></tr>
 * <tr><td>{@code ldap.connectTimeout}</td><td>duration</td><td>per connection attempt; 5 s</td></tr>
 * <tr><td>{@code ldap.responseTimeout}</td><td>duration</td><td>per operation, and the longest wait for a pooled connection; 10 s</td></tr>
 * <tr><td>{@code ldap.maxConnections}</td><td>int</td><td>pool size; 10</td></tr>
 * </table>
 *
 * @param mode            directory flavour
 * @param servers         host[:port] entries, tried in order
 * @param security        transport protection
 * @param caFile          trusted CAs in PEM, or {@code null} for the JVM's default trust store
 * @param bindDn          service account DN, or {@code null} for anonymous searches
 * @param bindPassword    service account password, or {@code null}
 * @param baseDn          search base; may be {@code null} only for Active Directory with a domain and no attribute look-up
 * @param userFilter      search filter with {@code {0}}; {@code null} takes the mode's default
 * @param attributes      attribute names returned in entries
 * @param domain          Active Directory domain for {@code user@domain} binds, or {@code null}
 * @param attributeLookup Active Directory: whether attributes are looked up
 * @param connectTimeout  connection attempt limit
 * @param responseTimeout operation limit
 * @param maxConnections  pool size, at least 1
 */
public record LdapConfig(Mode mode, List<String> servers, Security security, Path caFile, String bindDn, String bindPassword, String baseDn,
                         String userFilter, List<String> attributes, String domain, boolean attributeLookup,
                         Duration connectTimeout, Duration responseTimeout, int maxConnections) {

    /** Which kind of directory, and so which {@link dev.baton.core.AuthServerKind} the realm has. */
    public enum Mode {
        /** A standards LDAP directory: search the DN, bind as it, return the configured attributes. */
        LDAP,
        /** Active Directory: bind as {@code user@domain} or by a {@code sAMAccountName} search; attributes only if enabled. */
        ACTIVE_DIRECTORY
    }

    /** How connections to the directory are protected. */
    public enum Security {
        /** Plain LDAP upgraded with the StartTLS extended operation before any bind (RFC 4513 3). */
        START_TLS,
        /** LDAP over TLS from the first byte, usually port 636. */
        LDAPS,
        /** No protection: passwords travel in clear. For loopback tests only. */
        NONE;

        /** Parses {@code start-tls}, {@code ldaps} or {@code none}. */
        public static Security parse(String value) {
            String key = value == null ? "" : value.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            for (Security s : values()) {
                if (s.name().equals(key)) {
                    return s;
                }
            }
            throw error("ldap.security", "'" + value + "' is not one of start-tls, ldaps, none");
        }
    }

    /** Checks and freezes. */
    public LdapConfig {
        require(mode != null, "ldap.mode", "must be ldap or active-directory");
        servers = ConfigCheck.notEmpty(servers, "ldap.servers");
        require(security != null, "ldap.security", "must be start-tls, ldaps or none");
        int port = security == Security.LDAPS ? 636 : 389;
        servers.forEach(s -> ConfigCheck.hostPort(s, port, "ldap.servers"));
        require(caFile == null || Files.isReadable(caFile), "ldap.caFile", caFile + " is not a readable file");
        bindDn = blankToNull(bindDn);
        bindPassword = blankToNull(bindPassword);
        domain = blankToNull(domain);
        baseDn = blankToNull(baseDn);
        if (bindDn != null) {
            requireDn(bindDn, "ldap.bindDn");
            require(bindPassword != null, "ldap.bindPassword", "must be set when ldap.bindDn is");
        }
        require(mode == Mode.ACTIVE_DIRECTORY || domain == null, "ldap.domain", "applies to active-directory mode only");
        boolean needsSearch = mode == Mode.LDAP || domain == null || attributeLookup;
        require(!needsSearch || baseDn != null, "ldap.baseDn", "must be set (users are searched under it)");
        if (baseDn != null) {
            requireDn(baseDn, "ldap.baseDn");
        }
        userFilter = blankToNull(userFilter) == null ? (mode == Mode.LDAP ? "(uid={0})" : "(sAMAccountName={0})") : userFilter.strip();
        requireFilter(userFilter);
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
        require(attributes.stream().noneMatch(a -> a == null || a.isBlank()), "ldap.attributes", "must not contain blank names");
        ConfigCheck.positive(connectTimeout, "ldap.connectTimeout");
        ConfigCheck.positive(responseTimeout, "ldap.responseTimeout");
        require(maxConnections >= 1, "ldap.maxConnections", "must be at least 1, was " + maxConnections);
    }

    /**
     * A plain LDAP directory with the defaults: StartTLS trusting the JVM's CAs, filter {@code (uid={0})}, no
     * attributes, 5 s / 10 s timeouts, 10 connections.
     */
    public static LdapConfig ldap(List<String> servers, String bindDn, String bindPassword, String baseDn) {
        return new LdapConfig(Mode.LDAP, servers, Security.START_TLS, null, bindDn, bindPassword, baseDn, null, List.of(), null, true,
                Duration.ofSeconds(5), Duration.ofSeconds(10), 10);
    }

    /**
     * An Active Directory with the defaults: StartTLS trusting the JVM's CAs, filter {@code (sAMAccountName={0})},
     * no attribute look-up.
     *
     * @param domain the domain for {@code user@domain} binds, or {@code null} to search by sAMAccountName and bind as the DN
     */
    public static LdapConfig activeDirectory(List<String> servers, String domain, String bindDn, String bindPassword, String baseDn) {
        return new LdapConfig(Mode.ACTIVE_DIRECTORY, servers, Security.START_TLS, null, bindDn, bindPassword, baseDn, null, List.of(), domain, false,
                Duration.ofSeconds(5), Duration.ofSeconds(10), 10);
    }

    /** A copy with another user filter ({@code ldap.userFilter}). */
    public LdapConfig withUserFilter(String filter) {
        return new LdapConfig(mode, servers, security, caFile, bindDn, bindPassword, baseDn, filter, attributes, domain, attributeLookup,
                connectTimeout, responseTimeout, maxConnections);
    }

    /** A copy returning these attributes ({@code ldap.attributes}) and, for Active Directory, looking them up. */
    public LdapConfig withAttributes(List<String> names) {
        return new LdapConfig(mode, servers, security, caFile, bindDn, bindPassword, baseDn, userFilter, names, domain, true,
                connectTimeout, responseTimeout, maxConnections);
    }

    /** A copy with other timeouts ({@code ldap.connectTimeout}, {@code ldap.responseTimeout}). */
    public LdapConfig withTimeouts(Duration connect, Duration response) {
        return new LdapConfig(mode, servers, security, caFile, bindDn, bindPassword, baseDn, userFilter, attributes, domain, attributeLookup,
                connect, response, maxConnections);
    }

    /** A copy with other transport protection ({@code ldap.security}) and trusted CAs ({@code ldap.caFile}, may be {@code null}). */
    public LdapConfig withSecurity(Security protection, Path trustedCas) {
        return new LdapConfig(mode, servers, protection, trustedCas, bindDn, bindPassword, baseDn, userFilter, attributes, domain,
                attributeLookup, connectTimeout, responseTimeout, maxConnections);
    }

    /** The port used when a server entry has none: 636 for LDAPS, 389 otherwise. */
    public int defaultPort() {
        return security == Security.LDAPS ? 636 : 389;
    }

    /** Whether entries carry attributes: always for LDAP, only with {@code ldap.attributeLookup} for Active Directory. */
    public boolean returnsAttributes() {
        return mode == Mode.LDAP || attributeLookup;
    }

    @Override
    public String toString() {
        return "LdapConfig[mode=" + mode + ", servers=" + servers + ", security=" + security + ", caFile=" + caFile + ", bindDn=" + bindDn
                + ", bindPassword=" + (bindPassword == null ? "none" : "****") + ", baseDn=" + baseDn
                + ", userFilter=" + userFilter + ", attributes=" + attributes + ", domain=" + domain
                + ", attributeLookup=" + attributeLookup + ", connectTimeout=" + connectTimeout
                + ", responseTimeout=" + responseTimeout + ", maxConnections=" + maxConnections + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static void requireDn(String dn, String key) {
        require(DN.isValidDN(dn), key, "'" + dn + "' is not a valid DN");
    }

    private static void requireFilter(String filter) {
        require(filter.contains("{0}"), "ldap.userFilter", "'" + filter + "' must contain {0} where the username goes");
        try {
            Filter.create(filter.replace("{0}", "x"));
        } catch (LDAPException e) {
            throw error("ldap.userFilter", "'" + filter + "' is not a valid LDAP filter: " + e.getDiagnosticMessage());
        }
    }
}
