package dev.baton.core;

import java.util.Objects;

/**
 * A free-form authentication group name, set per realm (F5). Sessions migrate only between realms of the
 * same group. Names compare exactly (case-sensitive, after trimming surrounding blanks), as operators type
 * them the same on every gateway.
 *
 * @param name non-blank, at most 255 characters
 */
public record AuthGroup(String name) {
    /** Validates and trims. */
    public AuthGroup {
        Objects.requireNonNull(name, "name");
        name = name.strip();
        if (name.isEmpty() || name.length() > 255) {
            throw new BatonException(ResultCode.CONFIGURATION,
                    "authentication group must be 1 to 255 characters, got " + name.length());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
