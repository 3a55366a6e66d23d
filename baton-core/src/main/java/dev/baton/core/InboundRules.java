package dev.baton.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a receiving realm accepts a migrated session (F5, F6), and which user attributes its role
 * mapping then sees (F7). Pure rules; the only I/O is the {@link UserDirectory} handed in.
 *
 * <ul>
 *   <li>Both the session's original server kind and the receiving realm's kind must migrate: anonymous,
 *       certificate, SAML and SiteMinder sessions never do.</li>
 *   <li>The realm's authentication group must equal the session's.</li>
 *   <li>Local, LDAP and NIS: the user must be known to the receiving server (local account, DN, NIS entry).
 *       ACE, RADIUS and Active Directory accept without asking.</li>
 *   <li>Attributes: imported with the session, or looked up on the directory for migrated sessions; a
 *       RADIUS realm's look-up yields none, an Active Directory realm's only if configured.</li>
 * </ul>
 */
public final class InboundRules {
    private InboundRules() {
    }

    /**
     * Admits {@code session} into {@code realm} or refuses it.
     *
     * @param directory the receiving realm's server (for existence checks) and attribute source
     * @return the attributes role mapping must use
     * @throws BatonException with {@link ResultCode#MIGRATION_REFUSED} and a reason a user can read
     */
    public static Map<String, List<String>> admit(Session session, Realm realm, UserDirectory directory) {
        AuthServerKind origin = session.authServerKind();
        if (!origin.migrates()) {
            throw refused("sessions authenticated by " + origin.displayName() + " never migrate");
        }
        if (!realm.kind().migrates()) {
            throw refused("realm " + realm.name() + " uses " + realm.kind().displayName()
                    + " authentication, which never accepts migrated sessions");
        }
        if (session.authGroup() == null || !realm.group().equals(Optional.of(session.authGroup()))) {
            throw refused("authentication group " + session.authGroup() + " of the session does not match group "
                    + realm.group().map(AuthGroup::name).orElse("(none)") + " of realm " + realm.name());
        }
        Optional<UserDirectory.Entry> entry = Optional.empty();
        if (realm.kind().inbound() == AuthServerKind.Inbound.ACCOUNT_MUST_EXIST) {
            entry = directory.find(session.user());
            if (entry.isEmpty()) {
                throw refused(missing(realm, session.user()));
            }
        }
        if (realm.attributes() == Realm.AttributeMode.IMPORTED) {
            return session.attributes();
        }
        return switch (realm.kind().attributeSource()) {
            case NONE -> Map.of();
            case IF_CONFIGURED -> realm.directoryAttributes() ? lookup(entry, directory, session.user()) : Map.of();
            case DIRECTORY -> lookup(entry, directory, session.user());
        };
    }

    private static Map<String, List<String>> lookup(Optional<UserDirectory.Entry> found, UserDirectory directory, String user) {
        return found.or(() -> directory.find(user)).map(UserDirectory.Entry::attributes).orElse(Map.of());
    }

    private static String missing(Realm realm, String user) {
        return switch (realm.kind()) {
            case LOCAL -> "user " + user + " has no local account in realm " + realm.name();
            case LDAP -> "user " + user + " does not resolve to a DN in the LDAP server of realm " + realm.name();
            case NIS -> "user " + user + " is not found in the NIS server of realm " + realm.name();
            default -> "user " + user + " is unknown to realm " + realm.name();
        };
    }

    private static BatonException refused(String reason) {
        return new BatonException(ResultCode.MIGRATION_REFUSED, reason);
    }
}
