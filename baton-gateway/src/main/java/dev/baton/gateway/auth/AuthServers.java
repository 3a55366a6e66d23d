package dev.baton.gateway.auth;

import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.config.ConfigNode;
import dev.baton.gateway.Authenticator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds a realm's authentication server from its {@code auth-server} node of the gateway's YAML. The keys
 * of each kind are documented on {@link LdapConfig}, {@link RadiusConfig}, {@link NisConfig},
 * {@link CertificateConfig} and {@link AnonymousAuthenticator}; lists are YAML lists or comma-separated,
 * durations are {@code 500ms}, {@code 5s}, {@code 2m} or ISO-8601 ({@code PT5S}).
 * A key the kind does not know is an error (it is usually a typo). Local accounts are not built here:
 * they are added to a {@link dev.baton.gateway.LocalAccounts}. Stateless and thread-safe.
 */
public final class AuthServers {
    private static final Map<AuthServerKind, Set<String>> KEYS = Map.of(
            AuthServerKind.LDAP, Set.of("ldap.servers", "ldap.security", "ldap.caFile", "ldap.bindDn", "ldap.bindPassword", "ldap.baseDn", "ldap.userFilter",
                    "ldap.attributes", "ldap.connectTimeout", "ldap.responseTimeout", "ldap.maxConnections"),
            AuthServerKind.ACTIVE_DIRECTORY, Set.of("ldap.servers", "ldap.security", "ldap.caFile", "ldap.bindDn", "ldap.bindPassword", "ldap.baseDn", "ldap.userFilter",
                    "ldap.attributes", "ldap.domain", "ldap.attributeLookup", "ldap.connectTimeout", "ldap.responseTimeout", "ldap.maxConnections"),
            AuthServerKind.RADIUS, Set.of("radius.servers", "radius.secret", "radius.timeout", "radius.retries", "radius.nasIdentifier"),
            AuthServerKind.ACE, Set.of("radius.servers", "radius.secret", "radius.timeout", "radius.retries", "radius.nasIdentifier"),
            AuthServerKind.NIS, Set.of("nis.passwdMap", "nis.groupMap"),
            AuthServerKind.CERTIFICATE, Set.of("certificate.caFile", "certificate.identity"),
            AuthServerKind.ANONYMOUS, Set.of("anonymous.userName"),
            AuthServerKind.SAML, Set.of(),
            AuthServerKind.SITEMINDER, Set.of());

    private AuthServers() {
    }

    /**
     * Builds the server for a realm of {@code kind} from its {@code auth-server} node.
     *
     * @param server the realm's {@code auth-server}: {@code kind} and the kind's keys (for example
     *               {@code ldap.servers: dir1:389,dir2:389}); lists may also be YAML lists
     * @param clock  the time certificate validity is checked against
     * @throws dev.baton.core.BatonException with CONFIGURATION naming the offending key by its path
     */
    public static Authenticator create(AuthServerKind kind, ConfigNode server, InstantSource clock) {
        if (kind == AuthServerKind.LOCAL) {
            throw server.error("kind", "local accounts are not built from keys; add them to LocalAccounts");
        }
        Set<String> known = new HashSet<>(KEYS.get(kind));
        known.add("kind");
        server.allowOnly(known);
        try {
            return build(kind, server, clock);
        } catch (BatonException e) {
            boolean namesKey = known.stream().anyMatch(k -> e.getMessage().startsWith(k + ":"));
            if (namesKey && !server.path().isEmpty()) {
                throw new BatonException(e.code(), server.path() + "." + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static Authenticator build(AuthServerKind kind, ConfigNode n, InstantSource clock) {
        return switch (kind) {
            case LDAP, ACTIVE_DIRECTORY -> new LdapAuthenticator(ldap(kind, n));
            case RADIUS, ACE -> new RadiusAuthenticator(new RadiusConfig(n.commaSeparated("radius.servers"), text(n, "radius.secret", null),
                    n.duration("radius.timeout", Duration.ofSeconds(3)), n.integer("radius.retries", 2),
                    text(n, "radius.nasIdentifier", "baton")), kind);
            case NIS -> NisAuthenticator.fromFiles(new NisConfig(path(n, "nis.passwdMap"), path(n, "nis.groupMap")));
            case CERTIFICATE -> new CertificateAuthenticator(CertificateConfig.fromFile(path(n, "certificate.caFile"),
                    CertificateConfig.Identity.parse(text(n, "certificate.identity", "subject-cn"))), clock);
            case ANONYMOUS -> new AnonymousAuthenticator(text(n, "anonymous.userName", AnonymousAuthenticator.DEFAULT_USER));
            case SAML, SITEMINDER -> new UnsupportedSsoAuthenticator(kind);
            case LOCAL -> throw new AssertionError("handled by create");
        };
    }

    private static LdapConfig ldap(AuthServerKind kind, ConfigNode n) {
        LdapConfig.Mode mode = kind == AuthServerKind.LDAP ? LdapConfig.Mode.LDAP : LdapConfig.Mode.ACTIVE_DIRECTORY;
        return new LdapConfig(mode, n.commaSeparated("ldap.servers"), LdapConfig.Security.parse(text(n, "ldap.security", "start-tls")),
                path(n, "ldap.caFile"), text(n, "ldap.bindDn", null), text(n, "ldap.bindPassword", null),
                text(n, "ldap.baseDn", null), text(n, "ldap.userFilter", null), n.commaSeparated("ldap.attributes"),
                text(n, "ldap.domain", null), mode == LdapConfig.Mode.LDAP || n.bool("ldap.attributeLookup", false),
                n.duration("ldap.connectTimeout", Duration.ofSeconds(5)), n.duration("ldap.responseTimeout", Duration.ofSeconds(10)),
                n.integer("ldap.maxConnections", 10));
    }

    /** A string as given, stripped; blank counts as absent, as the records treat a missing value. */
    private static String text(ConfigNode n, String key, String fallback) {
        return n.optionalSecret(key).map(String::strip).filter(v -> !v.isEmpty()).orElse(fallback);
    }

    private static Path path(ConfigNode n, String key) {
        String v = text(n, key, null);
        return v == null ? null : Path.of(v);
    }
}
