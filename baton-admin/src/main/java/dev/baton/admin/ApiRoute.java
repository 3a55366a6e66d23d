package dev.baton.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One operation of the admin API: a method, a path under {@code /api/admin/v1} whose segments in braces are
 * parameters ({@code /sessions/{hash}}), the least role that may call it, and what it does. The role is
 * checked by the listener before the handler runs, and again by handlers that change data.
 */
public record ApiRoute(String method, String path, OperatorRole role, Handler handler) {

    /** Answers one call: returns what is written as JSON with status 200, or throws {@link AdminException}. */
    @FunctionalInterface
    public interface Handler {
        Object handle(AdminCall call) throws Exception;
    }

    public ApiRoute {
        if (!List.of("GET", "POST", "DELETE").contains(method) || !path.startsWith("/")) {
            throw new IllegalArgumentException("bad route " + method + " " + path);
        }
    }

    /** The path parameters if {@code requestPath} matches this route's path, else empty. */
    Optional<Map<String, String>> match(String requestPath) {
        String[] want = path.substring(1).split("/");
        String[] got = requestPath.substring(1).split("/", -1);
        if (want.length != got.length) {
            return Optional.empty();
        }
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (got[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
