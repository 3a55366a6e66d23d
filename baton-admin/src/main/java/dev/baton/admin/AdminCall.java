package dev.baton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * One admin API call as a handler sees it: who makes it, the path parameters, the query parameters (the last
 * value of each) and the JSON body ({@code null} for GET).
 */
public record AdminCall(Operator operator, Map<String, String> pathParams, Map<String, String> query, JsonNode body) {

    /** A path parameter; routes name theirs, so a missing one is a defect. */
    public String path(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return v;
    }

    /** A query parameter, if given and not blank. */
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isBlank());
    }

    /**
     * A whole-number query parameter within {@code [min, max]}, or {@code fallback} when absent.
     *
     * @throws AdminException 400 naming the parameter when it is not such a number
     */
    public int intQuery(String name, int fallback, int min, int max) {
        Optional<String> v = query(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw AdminException.badRequest(name + " must be a whole number from " + min + " to " + max);
    }

    /** Fails with 403 unless the caller's role includes {@code needed}: handlers that change data call it. */
    public void require(OperatorRole needed) {
        if (!operator.role().includes(needed)) {
            throw AdminException.forbidden("role " + operator.role().label() + " may not do this; it needs " + needed.label());
        }
    }
}
