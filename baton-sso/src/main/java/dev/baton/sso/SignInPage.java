package dev.baton.sso;

import dev.baton.admin.Html;

import java.util.List;

/**
 * The provider's HTML: the sign-in page, the signed-out page, the sign-out confirmation and error pages.
 * Server-rendered, no JavaScript, one stylesheet from the provider itself; labels tied to their fields,
 * errors announced to screen readers ({@code role="alert"}), autocomplete hints so password managers work.
 */
final class SignInPage {
    private SignInPage() {
    }

    /**
     * One realm offered on the sign-in page.
     *
     * @param name         the realm's name
     * @param certificate  whether it signs in with a TLS client certificate instead of a password
     * @param keepSignedIn whether it offers "keep me signed in"
     */
    record Choice(String name, boolean certificate, boolean keepSignedIn) {
    }

    /**
     * The sign-in form for the pending flow {@code flow}.
     *
     * @param client   the relying party's id, named so the user knows where they are going
     * @param error    what went wrong with the last attempt and what to do, or null
     * @param username the name typed last time, kept after a failure
     */
    static String signIn(String flow, String client, List<Choice> realms, String error, String username) {
        StringBuilder b = new StringBuilder(2_048);
        b.append("<h1>Sign in</h1>\n<p>to continue to <strong>").append(esc(client)).append("</strong></p>\n");
        if (error != null) {
            b.append("<p role=\"alert\" id=\"error\" class=\"error\">").append(esc(error)).append("</p>\n");
        }
        for (Choice r : realms) {
            b.append("<form method=\"post\" action=\"/sign-in\"").append(error != null ? " aria-describedby=\"error\"" : "")
                    .append(">\n<input type=\"hidden\" name=\"flow\" value=\"").append(esc(flow)).append("\">\n")
                    .append("<input type=\"hidden\" name=\"realm\" value=\"").append(esc(r.name())).append("\">\n");
            if (realms.size() > 1) {
                b.append("<h2>").append(esc(r.name())).append("</h2>\n");
            }
            if (r.certificate()) {
                b.append("<p>Your browser presents your certificate when you continue.</p>\n")
                        .append("<button type=\"submit\">Sign in with my certificate</button>\n</form>\n");
                continue;
            }
            String id = "-" + esc(r.name());
            b.append("<p><label for=\"username").append(id).append("\">User name</label>\n")
                    .append("<input id=\"username").append(id).append("\" name=\"username\" autocomplete=\"username\" required")
                    .append(" maxlength=\"256\" value=\"").append(esc(username == null ? "" : username)).append("\"></p>\n")
                    .append("<p><label for=\"password").append(id).append("\">Password</label>\n")
                    .append("<input id=\"password").append(id).append("\" name=\"password\" type=\"password\"")
                    .append(" autocomplete=\"current-password\" required maxlength=\"1024\"></p>\n");
            if (r.keepSignedIn()) {
                b.append("<p><input id=\"keep").append(id).append("\" name=\"keep\" type=\"checkbox\">\n")
                        .append("<label for=\"keep").append(id).append("\">Keep me signed in on this device</label></p>\n");
            }
            b.append("<button type=\"submit\">Sign in</button>\n</form>\n");
        }
        return page("Sign in", b.toString());
    }

    /** Asks a browser without a valid id_token_hint to confirm signing out (a link alone must not sign anyone out). */
    static String confirmSignOut(String sessionId, String query) {
        return page("Sign out", "<h1>Sign out?</h1>\n<p>You will be signed out of every application you opened with this"
                + " sign-in.</p>\n<form method=\"post\" action=\"/logout" + esc(query) + "\">\n"
                + "<input type=\"hidden\" name=\"confirm\" value=\"" + esc(sessionId) + "\">\n"
                + "<button type=\"submit\">Sign out</button>\n</form>\n");
    }

    /** The page shown after a sign-out with nowhere registered to go back to. */
    static String signedOut() {
        return page("Signed out", "<h1>You are signed out</h1>\n<p>You can close this window.</p>\n");
    }

    /** An error the browser cannot be sent back to the application with, and what to do. */
    static String error(String title, String message) {
        return page(title, "<h1>" + esc(title) + "</h1>\n<p role=\"alert\" id=\"error\" class=\"error\">" + esc(message) + "</p>\n");
    }

    static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;"
            + "color:#1a1a1a}label{display:block;font-weight:600;margin-bottom:.25rem}input[type=checkbox]+label"
            + "{display:inline;font-weight:400}input:not([type=checkbox]){width:100%;padding:.5rem;font-size:1rem;"
            + "box-sizing:border-box}button{padding:.6rem 1.2rem;font-size:1rem}.error{color:#a00000;border-left:4px solid"
            + " #a00000;padding-left:.5rem}form{margin-bottom:1.5rem}:focus{outline:3px solid #1a5fb4}\n";

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + " - Baton</title><link rel=\"stylesheet\" href=\"/static/sso.css\"></head>\n"
                + "<body><main>\n" + body + "</main></body></html>\n";
    }

    static String esc(Object value) {
        return Html.esc(value);
    }
}
