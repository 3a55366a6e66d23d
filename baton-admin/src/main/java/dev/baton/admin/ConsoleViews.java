package dev.baton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's pages that call the admin API: each asks {@link Console#call} for what the JSON API would
 * answer the same operator and renders it with {@link ConsolePages}. An operation no route offers here is
 * shown as not available rather than failing.
 */
final class ConsoleViews {
    /** A page's title, body and navigation entry. */
    record Shown(String title, String body, String current) {
    }

    /**
     * Which sessions a page shows: a gateway's agent sessions (and the federation's), or a gateway's browser
     * authentication sessions (its OpenID Connect provider's sign-ins).
     *
     * @param page       the console page that lists them
     * @param api        the admin API path that lists them
     * @param revokePage the console page that confirms and revokes one
     * @param heading    what the list is called
     */
    record Kind(String page, String api, String revokePage, String heading) {
        static final Kind AGENT = new Kind("/console/sessions", "/sessions", "/console/revoke-session", "Sessions");
        static final Kind BROWSER = new Kind("/console/browser-sessions", "/authentication-sessions",
                "/console/revoke-browser-session", "Browser sign-ins");
    }

    private ConsoleViews() {
    }

    static Shown sessions(Console console, Html.Viewer viewer, Map<String, String> query, AuditLog audit, Kind kind) throws Exception {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String[] f : ConsolePages.FILTERS) {
            String v = query.getOrDefault(f[0], "").strip();
            if (!v.isEmpty()) {
                filters.put(f[0], v);
            }
        }
        Map<String, String> call = new LinkedHashMap<>(filters);
        call.put("limit", Integer.toString(Console.PAGE_SIZE));
        Optional.ofNullable(query.get("after")).filter(a -> !a.isBlank()).ifPresent(a -> call.put("after", a));
        JsonNode answer = console.call(viewer, "GET", kind.api(), call, audit).orElse(null);
        StringBuilder body = new StringBuilder(ConsolePages.searchForm(filters, kind.page()));
        String current = kind == Kind.AGENT ? "sessions" : "browser";
        if (answer == null) {
            return new Shown(kind.heading(), body + notOffered("list sessions"), current);
        }
        String caption = heldBy(answer).replaceFirst("^Sessions", kind.heading())
                + (filters.isEmpty() ? "" : " matching " + filters.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse(""))
                + (call.containsKey("after") ? " (a later page)" : "");
        boolean canRevoke = console.may(viewer, "POST", kind.api() + "/x/revoke");
        body.append(ConsolePages.sessionTable(answer, caption, canRevoke, next(kind.page(), filters, answer), kind.revokePage()));
        return new Shown(kind.heading(), body.toString(), current);
    }

    /** A gateway's answer names the gateway; the federation server's lists the sessions of every gateway. */
    private static String heldBy(JsonNode answer) {
        return answer.hasNonNull("gateway") ? "Sessions held by " + answer.path("gateway").asText()
                : "Sessions in the federation, on every gateway";
    }

    static Shown user(Console console, Html.Viewer viewer, Map<String, String> query, AuditLog audit) throws Exception {
        String user = required(query, "name", "user name");
        Map<String, String> call = new LinkedHashMap<>(Map.of("user", user, "limit", Integer.toString(Console.PAGE_SIZE)));
        Optional.ofNullable(query.get("after")).filter(a -> !a.isBlank()).ifPresent(a -> call.put("after", a));
        JsonNode answer = console.call(viewer, "GET", "/sessions", call, audit).orElse(null);
        String title = "Sessions of " + user;
        if (answer == null) {
            return new Shown(title, notOffered("list sessions"), "sessions");
        }
        StringBuilder body = new StringBuilder();
        boolean canRevokeAll = console.may(viewer, "POST", "/users/" + user + "/revoke");
        if (canRevokeAll && !answer.path("sessions").isEmpty()) {
            body.append("<p><a class=\"danger button\" href=\"/console/revoke-user?name=").append(Html.esc(Html.url(user)))
                    .append("\">Revoke all sessions of ").append(Html.esc(user)).append("…</a></p>");
        }
        body.append(ConsolePages.sessionTable(answer, heldBy(answer).replaceFirst("^Sessions", java.util.regex.Matcher.quoteReplacement("Sessions of " + user)),
                console.may(viewer, "POST", "/sessions/x/revoke"),
                next("/console/user", Map.of("name", user), answer), Kind.AGENT.revokePage()));
        return new Shown(title, body.toString(), "sessions");
    }

    static Shown confirmSession(Console console, Html.Viewer viewer, Map<String, String> query, AuditLog audit, Kind kind)
            throws Exception {
        String hash = required(query, "hash", "session hash");
        requireMay(console, viewer, kind.api() + "/" + hash + "/revoke");
        JsonNode detail = console.call(viewer, "GET", kind.api() + "/" + hash, Map.of(), audit).orElse(null);
        return new Shown("Revoke a session?", ConsolePages.confirmSession(viewer, hash, detail, kind),
                kind == Kind.AGENT ? "sessions" : "browser");
    }

    static Shown confirmUser(Console console, Html.Viewer viewer, Map<String, String> query, AuditLog audit)
            throws Exception {
        String user = required(query, "name", "user name");
        requireMay(console, viewer, "/users/" + user + "/revoke");
        int shown = console.call(viewer, "GET", "/sessions", Map.of("user", user, "limit", "500"), audit)
                .map(a -> a.path("sessions").size()).orElse(0);
        return new Shown("Revoke all sessions of " + user + "?", ConsolePages.confirmUser(viewer, user, shown), "sessions");
    }

    static Shown revokeSession(Console console, Html.Viewer viewer, Map<String, String> form, AuditLog audit, Kind kind)
            throws Exception {
        String hash = required(form, "hash", "session hash");
        JsonNode answer = console.call(viewer, "POST", kind.api() + "/" + hash + "/revoke", Map.of(), audit)
                .orElseThrow(() -> AdminException.notFound("this listener cannot revoke sessions"));
        return new Shown("Session revoked", ConsolePages.revoked(answer, kind.page()), kind == Kind.AGENT ? "sessions" : "browser");
    }

    static Shown revokeUser(Console console, Html.Viewer viewer, Map<String, String> form, AuditLog audit)
            throws Exception {
        String user = required(form, "name", "user name");
        JsonNode answer = console.call(viewer, "POST", "/users/" + user + "/revoke", Map.of(), audit)
                .orElseThrow(() -> AdminException.notFound("this listener cannot revoke a user's sessions"));
        return new Shown("Sessions of " + user + " revoked",
                ConsolePages.revoked(answer, "/console/user?name=" + Html.url(user)), "sessions");
    }

    private static void requireMay(Console console, Html.Viewer viewer, String path) {
        if (!console.may(viewer, "POST", path)) {
            throw AdminException.forbidden("role " + viewer.operator().role().label() + " may not revoke sessions");
        }
    }

    private static String required(Map<String, String> values, String name, String what) {
        String v = values.getOrDefault(name, "").strip();
        if (v.isEmpty() || v.contains("/")) {
            throw AdminException.badRequest("a " + what + " is needed here; follow a link from the session list");
        }
        return v;
    }

    private static String next(String base, Map<String, String> params, JsonNode answer) {
        JsonNode next = answer.path("next");
        if (next.isMissingNode() || next.isNull()) {
            return null;
        }
        StringBuilder b = new StringBuilder(base).append('?');
        params.forEach((k, v) -> b.append(k).append('=').append(Html.url(v)).append('&'));
        return b.append("after=").append(Html.url(next.asText())).toString();
    }

    private static String notOffered(String what) {
        return "<p class=\"empty\">This listener does not offer to " + Html.esc(what) + ".</p>";
    }
}
