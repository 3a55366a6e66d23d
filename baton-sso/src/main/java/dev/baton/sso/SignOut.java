package dev.baton.sso;

import dev.baton.admin.AuditLog;
import dev.baton.core.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ends an authentication session and tells the relying parties that took part in it: a back-channel logout
 * token (OpenID Connect Back-Channel Logout 1.0, with {@code sid} and {@code sub}) posted to each one that
 * registered a {@code backchannel-logout-uri}, all at once, waiting at most {@link #WAIT} so the browser that
 * signed out finds the applications signed out too. A relying party that does not answer in time is logged, and
 * its own session ends at its own timeout.
 */
final class SignOut {
    static final Duration WAIT = Duration.ofSeconds(3);
    private static final Logger log = LoggerFactory.getLogger(SignOut.class);

    private final SsoSettings settings;
    private final AuthenticationSessions sessions;
    private final Tokens tokens;
    private final SsoMetrics metrics;
    private final AuditLog audit;
    private final HttpClient http;

    SignOut(SsoSettings settings, AuthenticationSessions sessions, Tokens tokens, SsoMetrics metrics, AuditLog audit) {
        this.settings = settings;
        this.sessions = sessions;
        this.tokens = tokens;
        this.metrics = metrics;
        this.audit = audit;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Ends {@code s} here and at its relying parties; {@code why} goes to the audit log. */
    void end(Session s, String why) {
        sessions.end(s.hash());
        audit.event("sso-sign-out", "reason", why, "user", s.user(), "session", s.hash().hex());
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (String clientId : AuthenticationSessions.clients(s)) {
            Optional<URI> target = settings.client(clientId).flatMap(RelyingParty::backChannelLogoutUri);
            target.ifPresent(uri -> sent.add(send(clientId, uri, tokens.logoutToken(clientId, s.user(), s.hash().hex()))));
        }
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("back-channel logout of session {}: not every relying party answered within {}", s.hash().abbreviated(), WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("back-channel logout of session {} failed: {}", s.hash().abbreviated(), e.getCause().toString());
        }
    }

    private CompletableFuture<Void> send(String client, URI uri, String token) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(WAIT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            if (failure != null) {
                metrics.backChannel("unreachable");
                log.warn("back-channel logout to client {} at {} failed: {}", client, uri, failure.toString());
            } else if (response.statusCode() / 100 != 2) {
                metrics.backChannel("refused");
                log.warn("back-channel logout to client {} at {} answered {}", client, uri, response.statusCode());
            } else {
                metrics.backChannel("ok");
            }
            return null;
        });
    }
}
