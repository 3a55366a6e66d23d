package dev.baton.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One role-mapping rule (F7): when every condition holds for a user, the user gets {@code roles}; if
 * {@code stop} is set, later rules are not evaluated. Conditions look at the username, the user's
 * attributes and group memberships.
 *
 * @param conditions all must hold (an empty list always holds)
 * @param roles      the roles granted
 * @param stop       stop processing rules after this one matched
 */
public record RoleMappingRule(List<Condition> conditions, List<String> roles, boolean stop) {

    /** Freezes and validates. */
    public RoleMappingRule {
        conditions = List.copyOf(conditions);
        roles = List.copyOf(roles);
        if (roles.isEmpty()) {
            throw new BatonException(ResultCode.CONFIGURATION, "a role-mapping rule must grant at least one role");
        }
    }

    /** A rule that gives every user {@code role}. */
    public static RoleMappingRule everyone(String role) {
        return new RoleMappingRule(List.of(), List.of(role), false);
    }

    /** Whether all conditions hold for {@code user}. */
    public boolean matches(UserFacts user) {
        return conditions.stream().allMatch(c -> c.test(user));
    }

    /** What a rule knows of a user: name, attributes and group memberships. */
    public record UserFacts(String username, Map<String, List<String>> attributes, Set<String> groups) {
        /** Freezes. */
        public UserFacts {
            Objects.requireNonNull(username, "username");
            attributes = Map.copyOf(attributes);
            groups = Set.copyOf(groups);
        }

        /** Facts whose groups are the values of the {@code memberOf} and {@code groups} attributes. */
        public static UserFacts of(String username, Map<String, List<String>> attributes) {
            Set<String> groups = new java.util.TreeSet<>();
            groups.addAll(attributes.getOrDefault("memberOf", List.of()));
            groups.addAll(attributes.getOrDefault("groups", List.of()));
            return new UserFacts(username, attributes, groups);
        }
    }

    /** One condition of a rule. Globs use {@code *} and {@code ?} and compare case-insensitively. */
    public sealed interface Condition {
        /** Whether the condition holds. */
        boolean test(UserFacts user);

        /**
         * Parses {@code username=GLOB}, {@code attribute:NAME=GLOB} or {@code group=NAME}.
         *
         * @throws BatonException with {@link ResultCode#CONFIGURATION} naming the bad text
         */
        static Condition parse(String text) {
            int eq = text == null ? -1 : text.indexOf('=');
            if (eq <= 0) {
                throw new BatonException(ResultCode.CONFIGURATION, "role-mapping condition '" + text
                        + "' must be username=GLOB, attribute:NAME=GLOB or group=NAME");
            }
            String left = text.substring(0, eq).strip();
            String right = text.substring(eq + 1).strip();
            if (left.equals("username")) {
                return new UsernameMatches(right);
            }
            if (left.equals("group")) {
                return new MemberOf(right);
            }
            if (left.startsWith("attribute:") && left.length() > "attribute:".length()) {
                return new AttributeMatches(left.substring("attribute:".length()), right);
            }
            throw new BatonException(ResultCode.CONFIGURATION, "role-mapping condition '" + text
                    + "': unknown subject '" + left + "'; expected username, attribute:NAME or group");
        }
    }

    /** The username matches a glob. */
    record UsernameMatches(String glob) implements Condition {
        @Override
        public boolean test(UserFacts user) {
            return Glob.matches(glob, user.username());
        }
    }

    /** Some value of an attribute matches a glob. */
    record AttributeMatches(String attribute, String glob) implements Condition {
        @Override
        public boolean test(UserFacts user) {
            return user.attributes().getOrDefault(attribute, List.of()).stream().anyMatch(v -> Glob.matches(glob, v));
        }
    }

    /** The user is a member of a group (exact name, case-insensitive). */
    record MemberOf(String group) implements Condition {
        @Override
        public boolean test(UserFacts user) {
            return user.groups().stream().anyMatch(g -> g.equalsIgnoreCase(group));
        }
    }

    /** Glob matching with {@code *} and {@code ?}. */
    static final class Glob {
        private Glob() {
        }

        static boolean matches(String glob, String value) {
            StringBuilder regex = new StringBuilder();
            for (char c : glob.toCharArray()) {
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL).matcher(value).matches();
        }
    }
}
