package dev.baton.core;

import java.util.List;
import java.util.Objects;

/**
 * A role: its session options (F9) and the Host Checker policies a session must pass to hold it (F8).
 * A role whose options say {@code remediation} needs no Host Checker and is what keeps a session alive
 * when its endpoint fails or misses a check.
 *
 * @param name                unique per gateway
 * @param options             session options
 * @param hostCheckerPolicies names of policies the endpoint must pass to get this role
 */
public record Role(String name, SessionOptions options, List<String> hostCheckerPolicies) {
    /** Validates. */
    public Role {
        if (name == null || name.isBlank()) {
            throw new BatonException(ResultCode.CONFIGURATION, "role name must not be blank");
        }
        Objects.requireNonNull(options, "role " + name + ": options");
        hostCheckerPolicies = List.copyOf(hostCheckerPolicies);
        if (options.remediation() && !hostCheckerPolicies.isEmpty()) {
            throw new BatonException(ResultCode.CONFIGURATION,
                    "role " + name + ": a remediation role must not require Host Checker policies");
        }
    }

    /** A role with default options and no Host Checker. */
    public static Role plain(String name) {
        return new Role(name, SessionOptions.DEFAULTS, List.of());
    }
}
