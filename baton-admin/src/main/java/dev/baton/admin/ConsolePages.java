package dev.baton.admin;

import static dev.baton.admin.Html.csrfField;
import static dev.baton.admin.Html.esc;
import static dev.baton.admin.Html.url;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The bodies of the console's pages, from what the admin API's handlers answered. Sessions appear by the
 * SHA-256 hash of their id only, as the API gives them.
 */
final class ConsolePages {
    /** The search fields of the session list, with their labels and hints. */
    static final String[][] FILTERS = {
        {"user", "User name", "exactly as the user signs in, e.g. alice"},
        {"realm", "Realm", "the realm the user signed in to"},
        {"role", "Role", "a role the session was given"},
        {"group", "Authentication group", "the group of authentication servers"},
    };

    private ConsolePages() {
    }

    static String signIn(String error, String name) {
        StringBuilder b = new StringBuilder();
        b.append("<p>Sign in with your operator name and password from the operators file. Operators with a "
                + "client certificate are signed in without this form.</p>");
        if (error != null) {
            b.append("<p class=\"error\" role=\"alert\">").append(esc(error)).append("</p>");
        }
        b.append("<form class=\"stack\" method=\"post\" action=\"/console/sign-in\">")
                .append("<label for=\"name\">Operator name</label>")
                .append("<input id=\"name\" name=\"name\" autocomplete=\"username\" required value=\"")
                .append(esc(name)).append("\"").append(error != null || name.isEmpty() ? " autofocus" : "").append('>')
                .append("<label for=\"password\">Password</label>")
                .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>")
                .append("<button type=\"submit\">Sign in</button></form>");
        return b.toString();
    }

    static String dashboard(long held, long[] heldHour, long[] signIns, long[] migrations) {
        StringBuilder b = new StringBuilder();
        b.append("<p class=\"lead\">Sessions held now: <strong>").append(held).append("</strong>. ")
                .append("The charts show the last 60 minutes, one bar a minute, the newest on the right.</p>");
        b.append(Html.barChart("held", "Sessions held", "sessions", heldHour,
                "highest each minute; now " + held));
        b.append(Html.barChart("signins", "Sign-ins", "sign-ins", signIns,
                sum(signIns) + " successful sign-ins in the last hour"));
        b.append(Html.barChart("migrations", "Migrations", "migrations", migrations,
                sum(migrations) + " sessions migrated here in the last hour"));
        b.append("<p><a href=\"/console/sessions\">Search the sessions held here</a></p>");
        return b.toString();
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    static String searchForm(Map<String, String> query, String action) {
        StringBuilder b = new StringBuilder("<form class=\"search\" method=\"get\" action=\"" + action + "\" "
                + "role=\"search\" aria-label=\"Search sessions\"><fieldset><legend>Find sessions</legend>");
        for (String[] f : FILTERS) {
            b.append("<div class=\"field\"><label for=\"f-").append(f[0]).append("\">").append(f[1]).append("</label>")
                    .append("<input id=\"f-").append(f[0]).append("\" name=\"").append(f[0]).append("\" value=\"")
                    .append(esc(query.getOrDefault(f[0], ""))).append("\" aria-describedby=\"h-").append(f[0])
                    .append("\"><small id=\"h-").append(f[0]).append("\">").append(f[2]).append("</small></div>");
        }
        return b.append("</fieldset><p>Leave a field empty to match any value.</p>"
                + "<button type=\"submit\">Search</button> <a href=\"" + action + "\">Clear</a></form>").toString();
    }

    /**
     * A table of sessions from a list answer; {@code canRevoke} adds a revoke link to each row, and
     * {@code nextHref} (or null) links the following page.
     */
    static String sessionTable(JsonNode answer, String caption, boolean canRevoke, String nextHref, String revokePage) {
        JsonNode sessions = answer.path("sessions");
        if (sessions.isEmpty()) {
            return "<p class=\"empty\">No session matches. Check the spelling, or clear a field to widen the search.</p>";
        }
        StringBuilder b = new StringBuilder("<table><caption>").append(esc(caption)).append("</caption><thead><tr>")
                .append("<th scope=\"col\">User</th><th scope=\"col\">Gateway</th><th scope=\"col\">Realm</th><th scope=\"col\">Roles</th>")
                .append("<th scope=\"col\">Started</th><th scope=\"col\">Last activity</th><th scope=\"col\">Expires</th>")
                .append("<th scope=\"col\">Session (hash of its id)</th>")
                .append(canRevoke ? "<th scope=\"col\">Action</th>" : "").append("</tr></thead><tbody>");
        for (JsonNode s : sessions) {
            b.append(row(s, canRevoke, revokePage));
        }
        b.append("</tbody></table>");
        if (nextHref != null) {
            b.append("<p><a class=\"next\" href=\"").append(esc(nextHref)).append("\" rel=\"next\">Next page of sessions</a></p>");
        }
        return b.toString();
    }

    private static String row(JsonNode s, boolean canRevoke, String revokePage) {
        String user = s.path("user").asText();
        String hash = s.path("hash").asText();
        StringBuilder roles = new StringBuilder();
        s.path("roles").forEach(r -> roles.append(roles.isEmpty() ? "" : ", ").append(r.asText()));
        StringBuilder b = new StringBuilder("<tr><th scope=\"row\"><a href=\"/console/user?name=").append(esc(url(user)))
                .append("\">").append(esc(user)).append("</a></th><td>").append(esc(s.path("gateway").asText()))
                .append("</td><td>").append(esc(s.path("realm").asText()))
                .append("</td><td>").append(esc(roles)).append("</td><td>").append(time(s.path("startTime")))
                .append("</td><td>").append(time(s.path("lastActivity"))).append("</td><td>").append(time(s.path("expiry")))
                .append("</td><td><code class=\"hash\">").append(esc(hash)).append("</code></td>");
        if (canRevoke) {
            b.append("<td><a class=\"danger\" href=\"").append(revokePage).append("?hash=").append(esc(url(hash)))
                    .append("\">Revoke<span class=\"visually-hidden\"> this session of ").append(esc(user))
                    .append("</span>…</a></td>");
        }
        return b.append("</tr>").toString();
    }

    private static String time(JsonNode iso) {
        String t = iso.asText("");
        return "<time datetime=\"" + esc(t) + "\">" + esc(t.replace('T', ' ').replaceFirst("(\\.\\d+)?Z$", " UTC")) + "</time>";
    }

    static String confirmSession(Html.Viewer viewer, String hash, JsonNode detail, ConsoleViews.Kind kind) {
        String who = detail == null ? "" : " of " + detail.path("user").asText() + " (realm "
                + detail.path("realm").asText() + ")";
        return "<p>Revoke the session" + esc(who) + " whose id hashes to <code class=\"hash\">" + esc(hash)
                + "</code>? " + (kind == ConsoleViews.Kind.AGENT ? "The agent's next request is refused"
                        : "The browser's next sign-in goes to the sign-in page, the applications are told on the back channel,")
                + " and the user must sign in again.</p>"
                + "<form method=\"post\" action=\"" + kind.revokePage() + "\">" + csrfField(viewer)
                + "<input type=\"hidden\" name=\"hash\" value=\"" + esc(hash) + "\">"
                + "<button class=\"danger\" type=\"submit\">Revoke this session</button> "
                + "<a href=\"" + kind.page() + "\">Cancel</a></form>";
    }

    static String confirmUser(Html.Viewer viewer, String user, int shown) {
        return "<p>Revoke <strong>every</strong> session of <strong>" + esc(user) + "</strong> held here ("
                + shown + (shown == 1 ? " session" : " sessions") + " now)? Each of the user's agents is refused at "
                + "its next request and must sign in again.</p>"
                + "<form method=\"post\" action=\"/console/revoke-user\">" + csrfField(viewer)
                + "<input type=\"hidden\" name=\"name\" value=\"" + esc(user) + "\">"
                + "<button class=\"danger\" type=\"submit\">Revoke all sessions of " + esc(user) + "</button> "
                + "<a href=\"/console/user?name=" + esc(url(user)) + "\">Cancel</a></form>";
    }

    static String revoked(JsonNode answer, String back) {
        int n = answer.path("revoked").size();
        return "<p role=\"status\" class=\"ok\">Revoked " + n + (n == 1 ? " session" : " sessions")
                + ". The agents are refused at their next request.</p><p><a href=\"" + esc(back)
                + "\">Back</a></p>";
    }

    static String storage(Map<String, ?> status) {
        StringBuilder b = new StringBuilder("<dl class=\"status\">");
        status.forEach((k, v) -> b.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>"));
        return b.append("</dl>").toString();
    }

    static String error(String message, String advice) {
        return "<p class=\"error\" role=\"alert\">" + esc(message) + "</p><p>" + esc(advice) + "</p>"
                + "<p><a href=\"/console/dashboard\">Go to the dashboard</a></p>";
    }
}
