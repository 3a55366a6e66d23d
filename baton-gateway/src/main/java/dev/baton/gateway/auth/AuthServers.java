package dev.baton.gateway.auth;

import dev.baton.core.AuthServerKind;
import dev.baton.gateway.Authenticator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.baton.gateway.auth.ConfigCheck.error;

/**
 * Builds a realm's authentication server from flat configuration keys, as a properties or YAML file
 * gives them. The keys of each kind are documented on {@link LdapConfig}, {@link RadiusConfig},
 * {@link NisConfig}, {@link CertificateConfig} and {@link AnonymousAuthenticator}; lists are
 * comma-separated, durations are {@code 500ms}, {@code 5s}, {@code 2m} or ISO-8601 ({@code PT5S}).
 * A key the kind does not know is an error (it is usually a typo). Local accounts are not built here:
 * they are added to a {@link dev.baton.gateway.LocalAccounts}. Stateless and thread-safe.
 */
public final class AuthServers {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
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
     * Builds the server for a realm of {@code kind}.
     *
     * @param keys  the realm's server keys (for example {@code ldap.servers=dir1:389,dir2:389})
     * @param clock the time certificate validity is checked against
     * @throws dev.baton.core.BatonException with CONFIGURATION naming the offending key
     */
    public static Authenticator create(AuthServerKind kind, Map<String, String> keys, InstantSource clock) {
        if (kind == AuthServerKind.LOCAL) {
            throw error("kind", "local accounts are not built from keys; add them to LocalAccounts");
        }
        TreeSet<String> unknown = new TreeSet<>(keys.keySet());
        unknown.removeAll(KEYS.get(kind));
        if (!unknown.isEmpty()) {
            throw error(unknown.first(), "is not a key of " + kind.displayName() + " realms (known: " + new TreeSet<>(KEYS.get(kind)) + ")");
        }
        Keys k = new Keys(keys);
        return switch (kind) {
            case LDAP, ACTIVE_DIRECTORY -> new LdapAuthenticator(ldap(kind, k));
            case RADIUS, ACE -> new RadiusAuthenticator(new RadiusConfig(k.list("radius.servers"), k.get("radius.secret", null),
                    k.duration("radius.timeout", Duration.ofSeconds(3)), k.integer("radius.retries", 2),
                    k.get("radius.nasIdentifier", "baton")), kind);
            case NIS -> NisAuthenticator.fromFiles(new NisConfig(k.path("nis.passwdMap"), k.path("nis.groupMap")));
            case CERTIFICATE -> new CertificateAuthenticator(CertificateConfig.fromFile(k.path("certificate.caFile"),
                    CertificateConfig.Identity.parse(k.get("certificate.identity", "subject-cn"))), clock);
            case ANONYMOUS -> new AnonymousAuthenticator(k.get("anonymous.userName", AnonymousAuthenticator.DEFAULT_USER));
            case SAML, SITEMINDER -> new UnsupportedSsoAuthenticator(kind);
            case LOCAL -> throw new AssertionError("handled above");
        };
    }

    private static LdapConfig ldap(AuthServerKind kind, Keys k) {
        LdapConfig.Mode mode = kind == AuthServerKind.LDAP ? LdapConfig.Mode.LDAP : LdapConfig.Mode.ACTIVE_DIRECTORY;
        return new LdapConfig(mode, k.list("ldap.servers"), LdapConfig.Security.parse(k.get("ldap.security", "start-tls")),
                k.path("ldap.caFile"), k.get("ldap.bindDn", null), k.get("ldap.bindPassword", null),
                k.get("ldap.baseDn", null), k.get("ldap.userFilter", null), k.list("ldap.attributes"), k.get("ldap.domain", null),
                mode == LdapConfig.Mode.LDAP || k.bool("ldap.attributeLookup", false),
                k.duration("ldap.connectTimeout", Duration.ofSeconds(5)), k.duration("ldap.responseTimeout", Duration.ofSeconds(10)),
                k.integer("ldap.maxConnections", 10));
    }

    /** Typed reads of string values; every parse error names its key. */
    private record Keys(Map<String, String> values) {
        String get(String key, String fallback) {
            String v = values.get(key);
            return v == null || v.isBlank() ? fallback : v.strip();
        }

        List<String> list(String key) {
            String v = get(key, "");
            return v.isEmpty() ? List.of() : Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }

        Path path(String key) {
            String v = get(key, null);
            return v == null ? null : Path.of(v);
        }

        int integer(String key, int fallback) {
            String v = get(key, null);
            try {
                return v == null ? fallback : Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw error(key, "'" + v + "' is not a whole number");
            }
        }

        boolean bool(String key, boolean fallback) {
            String v = get(key, null);
            if (v == null) {
                return fallback;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw error(key, "'" + v + "' is not true or false");
            };
        }

        Duration duration(String key, Duration fallback) {
            String v = get(key, null);
            if (v == null) {
                return fallback;
            }
            Matcher m = SHORT_DURATION.matcher(v.toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            try {
                return Duration.parse(v);
            } catch (DateTimeParseException e) {
                throw error(key, "'" + v + "' is not a duration such as 500ms, 5s, 2m or PT5S");
            }
        }
    }
}
