package dev.baton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calls an admin API operation for a signed-in operator: the one place where a route's least role is checked
 * (and a refusal audited) before its handler runs, for the JSON API and the console alike.
 */
final class RouteCalls {
    /** A route that matched a path, with the path's parameters. */
    record Match(ApiRoute route, Map<String, String> params) {
    }

    private RouteCalls() {
    }

    /** The route for {@code method} and {@code path} (relative to {@code /api/admin/v1}), if any. */
    static Optional<Match> find(List<ApiRoute> routes, String method, String path) {
        for (ApiRoute route : routes) {
            if (route.method().equals(method)) {
                Optional<Map<String, String>> params = route.match(path);
                if (params.isPresent()) {
                    return Optional.of(new Match(route, params.get()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the route's handler for {@code operator}.
     *
     * @throws AdminException 403, audited, when the operator's role does not include the route's
     */
    static Object call(Match match, Operator operator, Map<String, String> query, JsonNode body, AuditLog audit)
            throws Exception {
        ApiRoute route = match.route();
        if (!operator.role().includes(route.role())) {
            audit.adminRefused(operator, route.method() + " " + route.path());
            throw AdminException.forbidden("role " + operator.role().label() + " may not " + route.method() + " "
                    + AdminHandler.API + route.path() + "; it needs " + route.role().label());
        }
        return route.handler().handle(new AdminCall(operator, match.params(), query, body));
    }
}
