package dev.baton.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A gateway's roles and Host Checker policies, and the decision of which roles a user gets in a realm:
 * role mapping (F7), then the realm's and each role's Host Checker policies (F8), falling back to the
 * realm's remediation role when checks fail. Immutable and thread-safe.
 */
public final class AccessPolicy {
    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final Map<String, HostCheckerPolicy> policies = new LinkedHashMap<>();

    /**
     * @throws BatonException with {@link ResultCode#CONFIGURATION} if a role names an unknown policy
     */
    public AccessPolicy(Collection<Role> roles, Collection<HostCheckerPolicy> policies) {
        policies.forEach(p -> this.policies.put(p.name(), p));
        for (Role r : roles) {
            r.hostCheckerPolicies().forEach(p -> requirePolicy(p, "role " + r.name()));
            this.roles.put(r.name(), r);
        }
    }

    /** Checks that everything {@code realm} names exists. */
    public void validate(Realm realm) {
        String where = "realm " + realm.name();
        realm.hostCheckerPolicies().forEach(p -> requirePolicy(p, where));
        realm.roleMapping().forEach(rule -> rule.roles().forEach(r -> requireRole(r, where + " role mapping")));
        if (realm.remediationRole() != null) {
            Role r = requireRole(realm.remediationRole(), where + " remediation-role");
            if (!r.options().remediation()) {
                throw new BatonException(ResultCode.CONFIGURATION,
                        where + ": remediation-role " + r.name() + " is not marked remediation: true");
            }
        }
    }

    /** The outcome: granted roles, whether only the remediation role holds the session, and why. */
    public record Decision(Set<String> roles, boolean remediation, List<String> notes) {
        /** Freezes. */
        public Decision {
            roles = Set.copyOf(roles);
            notes = List.copyOf(notes);
        }
    }

    /**
     * Decides the roles of {@code user} in {@code realm} given the endpoint's posture.
     *
     * @throws BatonException {@link ResultCode#NOT_AUTHORIZED} if no rule maps a role, or
     *                        {@link ResultCode#HOST_CHECK_FAILED} if checks fail and there is no remediation role
     */
    public Decision decide(Realm realm, RoleMappingRule.UserFacts user, Map<String, String> posture) {
        Set<String> mapped = map(realm, user);
        if (mapped.isEmpty()) {
            throw new BatonException(ResultCode.NOT_AUTHORIZED, "no role-mapping rule of realm " + realm.name()
                    + " gives user " + user.username() + " a role, so the user may not sign in there; ask the gateway's operator"
                    + " to map a role for this user (realms[].role-mapping)");
        }
        List<String> failures = new ArrayList<>();
        realm.hostCheckerPolicies().forEach(p -> failures.addAll(policies.get(p).failures(posture)));
        Set<String> granted = new TreeSet<>();
        if (failures.isEmpty()) {
            for (String name : mapped) {
                List<String> roleFailures = new ArrayList<>();
                roles.get(name).hostCheckerPolicies().forEach(p -> roleFailures.addAll(policies.get(p).failures(posture)));
                if (roleFailures.isEmpty()) {
                    granted.add(name);
                } else {
                    failures.addAll(roleFailures);
                }
            }
        }
        if (!granted.isEmpty()) {
            return new Decision(granted, false, failures);
        }
        if (realm.remediationRole() != null) {
            return new Decision(Set.of(realm.remediationRole()), true, failures);
        }
        throw new BatonException(ResultCode.HOST_CHECK_FAILED, "Host Checker failed and realm " + realm.name()
                + " has no remediation role: " + String.join("; ", failures) + "; bring the endpoint into line (the failed"
                + " requirements above) and try again");
    }

    /** The roles the realm's rules map {@code user} to, in rule order, honouring {@code stop}. */
    public Set<String> map(Realm realm, RoleMappingRule.UserFacts user) {
        Set<String> out = new LinkedHashSet<>();
        for (RoleMappingRule rule : realm.roleMapping()) {
            if (rule.matches(user)) {
                out.addAll(rule.roles());
                if (rule.stop()) {
                    break;
                }
            }
        }
        return out;
    }

    /** The merged options of {@code roleNames} (most permissive); defaults if none is known. */
    public SessionOptions optionsFor(Collection<String> roleNames) {
        return SessionOptions.merge(roleNames.stream().filter(roles::containsKey).map(n -> roles.get(n).options()).toList());
    }

    /** Whether any of the named roles requires a Host Checker policy. */
    public boolean requiresHostChecker(Collection<String> roleNames) {
        return roleNames.stream().map(roles::get).anyMatch(r -> r != null && !r.hostCheckerPolicies().isEmpty());
    }

    /** Names of the policies {@code posture} passes, published as capabilities (F2). */
    public Set<String> passedPolicies(Map<String, String> posture) {
        Set<String> out = new TreeSet<>();
        policies.values().stream().filter(p -> p.passes(posture)).forEach(p -> out.add(p.name()));
        return out;
    }

    private Role requireRole(String name, String where) {
        Role r = roles.get(name);
        if (r == null) {
            throw new BatonException(ResultCode.CONFIGURATION, where + " names unknown role '" + name + "'");
        }
        return r;
    }

    private void requirePolicy(String name, String where) {
        if (!policies.containsKey(name)) {
            throw new BatonException(ResultCode.CONFIGURATION, where + " names unknown Host Checker policy '" + name + "'");
        }
    }
}
