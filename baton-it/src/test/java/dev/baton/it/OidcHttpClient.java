package dev.baton.it;

import dev.baton.agent.AgentTls;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A plain HTTP client of the provider, for what a browser and mod_auth_openidc never do on purpose: a token request
 * without or with the wrong PKCE verifier, an authorization request with a redirect URI nobody registered. Keeps
 * cookies like a browser, follows no redirect (the test reads each {@code Location}) and trusts the provider's
 * self-signed certificate (loopback only).
 */
final class OidcHttpClient {
    private static final Pattern FLOW = Pattern.compile("<input[^>]*\\bname=\"flow\"[^>]*>");
    private static final Pattern VALUE = Pattern.compile("\\bvalue=\"([^\"]*)\"");

    private final URI issuer;
    private final HttpClient http;

    OidcHttpClient(URI issuer) {
        this.issuer = issuer;
        this.http = HttpClient.newBuilder().sslContext(AgentTls.trustAll()).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A fresh PKCE code verifier (43 characters of base64url). */
    static String newVerifier() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The S256 code challenge of {@code verifier}. */
    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET} of a path on the provider, such as its discovery document. */
    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(issuer.resolve(path)).GET());
    }

    /** {@code GET /authorize} with these query parameters. */
    HttpResponse<String> authorize(Map<String, String> params) {
        return send(HttpRequest.newBuilder(issuer.resolve("/authorize?" + form(params))).GET());
    }

    /** An authorization request of {@code clientId} for {@code redirectUri} with PKCE S256 of {@code verifier}. */
    HttpResponse<String> authorize(String clientId, URI redirectUri, String verifier) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", redirectUri.toString());
        p.put("scope", "openid profile");
        p.put("state", "state-" + System.nanoTime());
        p.put("nonce", "nonce-" + System.nanoTime());
        p.put("code_challenge", challenge(verifier));
        p.put("code_challenge_method", "S256");
        return authorize(p);
    }

    /** Posts the sign-in form of {@code page} (a sign-in page this client was given) with these credentials. */
    HttpResponse<String> signIn(HttpResponse<String> page, String realm, String username, String password) {
        Matcher input = FLOW.matcher(page.body());
        if (!input.find()) {
            throw new AssertionError("no hidden 'flow' field on the sign-in page:\n" + page.body());
        }
        Matcher value = VALUE.matcher(input.group());
        if (!value.find()) {
            throw new AssertionError("the 'flow' field has no value: " + input.group());
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("flow", value.group(1).replace("&amp;", "&"));
        f.put("realm", realm);
        f.put("username", username);
        f.put("password", password);
        return send(HttpRequest.newBuilder(issuer.resolve("/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(f))));
    }

    /** {@code POST /token} for {@code code}, the client authenticated with HTTP basic; no verifier if null. */
    HttpResponse<String> token(String clientId, String secret, String code, URI redirectUri, String verifier) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", code);
        f.put("redirect_uri", redirectUri.toString());
        if (verifier != null) {
            f.put("code_verifier", verifier);
        }
        String basic = Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(issuer.resolve("/token")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(f))));
    }

    /** The {@code code} parameter of a redirect to the client, failing with the answer if there is none. */
    static String code(HttpResponse<String> redirect) {
        String location = redirect.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("no redirect with a code: " + redirect.statusCode() + "\n" + redirect.body()));
        Matcher m = Pattern.compile("[?&]code=([^&]+)").matcher(location);
        if (!m.find()) {
            throw new AssertionError("no code in " + location);
        }
        return java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
