package dev.baton.sso;

import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The provider's two cookies, both {@code __Host-} prefixed (so the browser keeps them only if they are Secure,
 * host-only and for path {@code /}), HttpOnly and SameSite=Lax:
 * <ul>
 *   <li>{@value #SESSION}: the authentication session's 256-bit id; a browser-session cookie, or for a persistent
 *       session one that lasts until the session's maximum length;</li>
 *   <li>{@value #BROWSER}: a random value that binds a sign-in form to the browser that asked for it, so another
 *       site cannot sign a victim's browser in as its own user (login CSRF).</li>
 * </ul>
 * Also the headers every page of the provider carries.
 */
final class Cookies {
    static final String SESSION = "__Host-baton-sso";
    static final String BROWSER = "__Host-baton-flow";

    private Cookies() {
    }

    /** The session cookie's value, or null. */
    static String session(Context ctx) {
        return ctx.cookie(SESSION);
    }

    /** Sets the session cookie; {@code lifetime} empty for a cookie that ends with the browser. */
    static void setSession(Context ctx, String id, Optional<Duration> lifetime) {
        ctx.res().addHeader("Set-Cookie", SESSION + "=" + id + "; Path=/; Secure; HttpOnly; SameSite=Lax"
                + lifetime.map(d -> "; Max-Age=" + d.toSeconds()).orElse(""));
    }

    /** Tells the browser to drop the session cookie. */
    static void clearSession(Context ctx) {
        ctx.res().addHeader("Set-Cookie", SESSION + "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
    }

    /** The hash of this browser's binding value, setting a new one if it has none. */
    static String browserBinding(Context ctx) {
        String value = ctx.cookie(BROWSER);
        if (value == null || value.length() != 43) {
            value = Grants.random();
            ctx.res().addHeader("Set-Cookie", BROWSER + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=86400");
        }
        return sha256(value);
    }

    /** The hash of the binding value this request carries, or empty. */
    static Optional<String> presentedBinding(Context ctx) {
        return Optional.ofNullable(ctx.cookie(BROWSER)).map(Cookies::sha256);
    }

    /** Writes an HTML page with the provider's headers. */
    static void page(Context ctx, int status, String html) {
        ctx.status(status).contentType("text/html; charset=utf-8").result(html);
    }

    /** The headers every answer carries: never cached, never framed, nothing loaded but the provider's own stylesheet. */
    static void secure(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'");
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
