package dev.baton.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Host Checker policy (F8): named requirements on the posture facts an endpoint agent reports, such as
 * {@code antivirus=running} or {@code os.version>=10.0.19045}. Immutable.
 *
 * @param name         the policy name, as published in the {@code capability} metadata when passed
 * @param requirements all must hold
 */
public record HostCheckerPolicy(String name, List<Requirement> requirements) {

    /** Validates. */
    public HostCheckerPolicy {
        if (name == null || name.isBlank()) {
            throw new BatonException(ResultCode.CONFIGURATION, "Host Checker policy name must not be blank");
        }
        requirements = List.copyOf(requirements);
    }

    /**
     * Evaluates the policy.
     *
     * @param posture the facts the agent reported (name to value)
     * @return the failed requirements as readable sentences; empty means the policy passed
     */
    public List<String> failures(Map<String, String> posture) {
        List<String> out = new ArrayList<>();
        for (Requirement r : requirements) {
            if (!r.test(posture)) {
                out.add(name + ": " + r.describe(posture));
            }
        }
        return out;
    }

    /** Whether the policy passes. */
    public boolean passes(Map<String, String> posture) {
        return failures(posture).isEmpty();
    }

    /**
     * One requirement: {@code FACT=VALUE} (equal, case-insensitive), {@code FACT>=VERSION} (dotted numeric
     * version at least), or {@code FACT} alone (present and not {@code false}).
     *
     * @param fact     the posture fact's name
     * @param operator {@code =}, {@code >=} or {@code present}
     * @param value    the expected value, empty for {@code present}
     */
    public record Requirement(String fact, String operator, String value) {
        /** Validates. */
        public Requirement {
            Objects.requireNonNull(fact, "fact");
            if (!List.of("=", ">=", "present").contains(operator)) {
                throw new BatonException(ResultCode.CONFIGURATION, "Host Checker operator must be =, >= or present, got " + operator);
            }
        }

        /** Parses {@code FACT=VALUE}, {@code FACT>=VERSION} or {@code FACT}. */
        public static Requirement parse(String text) {
            if (text == null || text.isBlank()) {
                throw new BatonException(ResultCode.CONFIGURATION, "empty Host Checker requirement");
            }
            int ge = text.indexOf(">=");
            if (ge > 0) {
                return new Requirement(text.substring(0, ge).strip(), ">=", text.substring(ge + 2).strip());
            }
            int eq = text.indexOf('=');
            if (eq > 0) {
                return new Requirement(text.substring(0, eq).strip(), "=", text.substring(eq + 1).strip());
            }
            return new Requirement(text.strip(), "present", "");
        }

        boolean test(Map<String, String> posture) {
            String actual = posture.get(fact);
            return switch (operator) {
                case "=" -> actual != null && actual.equalsIgnoreCase(value);
                case ">=" -> actual != null && compareVersions(actual, value) >= 0;
                default -> actual != null && !actual.equalsIgnoreCase("false");
            };
        }

        String describe(Map<String, String> posture) {
            String actual = posture.get(fact);
            String expected = operator.equals("present") ? "present" : operator + " " + value;
            return fact + " must be " + expected + ", endpoint reported " + (actual == null ? "nothing" : "'" + actual + "'");
        }

        static int compareVersions(String a, String b) {
            String[] x = a.split("\\.");
            String[] y = b.split("\\.");
            for (int i = 0; i < Math.max(x.length, y.length); i++) {
                long p = i < x.length ? number(x[i]) : 0;
                long q = i < y.length ? number(y[i]) : 0;
                if (p != q) {
                    return Long.compare(p, q);
                }
            }
            return 0;
        }

        private static long number(String part) {
            String digits = part.replaceAll("\\D.*$", "");
            return digits.isEmpty() ? -1 : Long.parseLong(digits.length() > 18 ? digits.substring(0, 18) : digits);
        }
    }
}
