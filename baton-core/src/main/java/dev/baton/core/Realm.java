package dev.baton.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A realm: an authentication server, an optional authentication group (F5), role-mapping rules (F7) and
 * the Host Checker policies every session of the realm must pass (F8). Immutable configuration.
 *
 * @param name               unique per gateway
 * @param kind               the kind of authentication server
 * @param authGroup          the authentication group, or {@code null}: sessions of this realm never migrate
 * @param roleMapping        ordered role-mapping rules
 * @param hostCheckerPolicies names of policies evaluated for every session of the realm
 * @param attributes         where attributes of migrated sessions come from (F7)
 * @param directoryAttributes for Active Directory realms: whether a look-up yields attributes (F6)
 * @param remediationRole    the role that keeps a session whose Host Checker fails, or {@code null}
 */
public record Realm(String name, AuthServerKind kind, AuthGroup authGroup, List<RoleMappingRule> roleMapping,
                    List<String> hostCheckerPolicies, AttributeMode attributes, boolean directoryAttributes,
                    String remediationRole) {

    /** Where the attributes used by role mapping come from for a migrated session (F7). */
    public enum AttributeMode {
        /** The attributes published with the session at its original gateway. */
        IMPORTED,
        /** A look-up on the directory server configured for migrated sessions. */
        DIRECTORY
    }

    /** Validates. */
    public Realm {
        if (name == null || name.isBlank()) {
            throw new BatonException(ResultCode.CONFIGURATION, "realm name must not be blank");
        }
        Objects.requireNonNull(kind, "realm " + name + ": kind");
        roleMapping = List.copyOf(roleMapping);
        hostCheckerPolicies = List.copyOf(hostCheckerPolicies);
        Objects.requireNonNull(attributes, "realm " + name + ": attributes");
    }

    /** A realm with one rule giving every user {@code role}, imported attributes, no Host Checker. */
    public static Realm simple(String name, AuthServerKind kind, String authGroup, String role) {
        return new Realm(name, kind, authGroup == null ? null : new AuthGroup(authGroup),
                List.of(RoleMappingRule.everyone(role)), List.of(), AttributeMode.IMPORTED, false, null);
    }

    /** The authentication group, if any. */
    public Optional<AuthGroup> group() {
        return Optional.ofNullable(authGroup);
    }
}
