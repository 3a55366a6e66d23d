package dev.baton.sso;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.baton.core.Session;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|POST /logout}: OpenID Connect RP-Initiated Logout 1.0. With an {@code id_token_hint} this provider
 * signed for the browser's current session, the session ends at once; without one the browser is asked to
 * confirm with a form (so a link on another site cannot sign anybody out). Ending the session tells the relying
 * parties on the back channel ({@link SignOut}); the browser then goes to the {@code post_logout_redirect_uri} if
 * it is registered for the client the hint or {@code client_id} names, else sees "You are signed out".
 */
final class LogoutEndpoint {
    private final SsoSettings settings;
    private final AuthenticationSessions sessions;
    private final Tokens tokens;
    private final SignOut signOut;
    private final SsoMetrics metrics;

    LogoutEndpoint(SsoSettings settings, AuthenticationSessions sessions, Tokens tokens, SignOut signOut, SsoMetrics metrics) {
        this.settings = settings;
        this.sessions = sessions;
        this.tokens = tokens;
        this.signOut = signOut;
        this.metrics = metrics;
    }

    void handle(Context ctx) {
        Map<String, List<String>> query = ctx.queryParamMap();
        Optional<JWTClaimsSet> hint = Optional.ofNullable(param(query, "id_token_hint")).flatMap(tokens::checkIdTokenHint);
        Optional<String> clientId = hint.map(h -> h.getAudience().isEmpty() ? null : h.getAudience().get(0))
                .or(() -> Optional.ofNullable(param(query, "client_id")));
        Optional<URI> back = backTo(clientId, param(query, "post_logout_redirect_uri"), param(query, "state"));
        Optional<Session> current = sessions.find(Cookies.session(ctx));
        if (current.isPresent()) {
            String sid = current.get().hash().hex();
            boolean confirmed = hint.map(h -> sid.equals(h.getClaim("sid"))).orElse(false)
                    || ctx.method().name().equals("POST") && sid.equals(ctx.formParam("confirm"));
            if (!confirmed) {
                metrics.logout("confirm");
                String q = ctx.queryString() == null ? "" : "?" + ctx.queryString();
                Cookies.page(ctx, 200, SignInPage.confirmSignOut(sid, q));
                return;
            }
            signOut.end(current.get(), "sign-out");
            metrics.logout("ok");
        } else {
            metrics.logout("no-session");
        }
        Cookies.clearSession(ctx);
        if (back.isPresent()) {
            ctx.redirect(back.get().toString(), HttpStatus.SEE_OTHER);
        } else {
            Cookies.page(ctx, 200, SignInPage.signedOut());
        }
    }

    /** The registered post-logout URI asked for, with the client's state; empty if none was asked or it is not registered. */
    private Optional<URI> backTo(Optional<String> clientId, String asked, String state) {
        if (asked == null || clientId.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(asked);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!settings.client(clientId.get()).map(c -> c.postLogoutRedirectUris().contains(uri)).orElse(false)) {
            return Optional.empty();
        }
        if (state == null) {
            return Optional.of(uri);
        }
        String sep = uri.getRawQuery() == null ? "?" : "&";
        return Optional.of(URI.create(uri + sep + "state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)));
    }

    private static String param(Map<String, List<String>> query, String key) {
        List<String> v = query.get(key);
        return v == null || v.size() != 1 ? null : v.get(0);
    }
}
