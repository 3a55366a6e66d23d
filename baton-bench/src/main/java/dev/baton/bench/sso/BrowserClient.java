package dev.baton.bench.sso;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
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
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;

/**
 * One simulated browser and its relying party, driving the authorization code flow of any OpenID Connect
 * provider ({@link OidcTarget}) the way a browser and a confidential client do: its own cookie jar
 * ({@link LoopbackCookieJar}), redirects not followed so that the code is read from the {@code Location},
 * a fresh {@code state}, {@code nonce} and PKCE (S256) verifier per flow, and the code redeemed at the token
 * endpoint with the verifier and the client secret (HTTP basic). Not thread safe: one virtual thread drives one
 * browser.
 */
final class BrowserClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OidcTarget target;
    private final LoopbackCookieJar cookies = new LoopbackCookieJar();
    private final HttpClient http;
    private final String clientAuthorization;

    BrowserClient(OidcTarget target, SSLContext tls) {
        this.target = target;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).sslContext(tls).connectTimeout(TIMEOUT).build();
        this.clientAuthorization = "Basic " + Base64.getEncoder().encodeToString(
                (form(target.clientId()) + ":" + form(target.clientSecret())).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A full sign-in from a browser with no cookies: authorize, the sign-in page, the form posted with the
     * user's password, the code from the redirect, the token request.
     *
     * @throws FlowException when any step answers other than a working provider does
     */
    void signIn() throws IOException, InterruptedException {
        cookies.clear();
        Flow flow = new Flow();
        HttpResponse<String> page = http.send(get(flow.authorizeUri()), HttpResponse.BodyHandlers.ofString());
        if (page.statusCode() != 200) {
            throw new FlowException("authorize without a session answered " + page.statusCode() + " instead of a sign-in page"
                    + location(page));
        }
        SignInForm form = SignInForm.read(page.body(), page.uri(), target.username(), target.password())
                .orElseThrow(() -> new FlowException("the sign-in page has no password form: " + excerpt(page.body())));
        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(form.action()).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form.fields()))).build(), HttpResponse.BodyHandlers.ofString());
        redeem(flow, codeFrom(signedIn, flow, "the sign-in form"));
    }

    /**
     * The single sign-on path of a browser that holds an authentication session: authorize answers with a
     * redirect carrying a code, no page; then the token request.
     *
     * @throws FlowException when the provider shows a page or refuses
     */
    void ssoFlow() throws IOException, InterruptedException {
        Flow flow = new Flow();
        HttpResponse<String> answer = http.send(get(flow.authorizeUri()), HttpResponse.BodyHandlers.ofString());
        redeem(flow, codeFrom(answer, flow, "authorize with a session"));
    }

    private void redeem(Flow flow, String code) throws IOException, InterruptedException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", target.redirectUri().toString());
        body.put("code_verifier", flow.verifier);
        HttpResponse<String> tokens = http.send(HttpRequest.newBuilder(target.token()).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", clientAuthorization)
                .POST(HttpRequest.BodyPublishers.ofString(encode(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (tokens.statusCode() != 200 || !tokens.body().contains("\"id_token\"") || !tokens.body().contains("\"access_token\"")) {
            throw new FlowException("token endpoint answered " + tokens.statusCode() + ": " + excerpt(tokens.body()));
        }
    }

    private String codeFrom(HttpResponse<String> answer, Flow flow, String step) {
        String location = answer.headers().firstValue("Location").orElse("");
        if (answer.statusCode() != 302 && answer.statusCode() != 303 || !location.startsWith(target.redirectUri().toString())) {
            throw new FlowException(step + " answered " + answer.statusCode() + location(answer) + " instead of a redirect with a code: "
                    + excerpt(answer.body()));
        }
        Map<String, String> query = query(URI.create(location).getRawQuery());
        if (!flow.state.equals(query.get("state")) || query.get("code") == null) {
            throw new FlowException(step + " redirected without the code or the state: " + location);
        }
        return query.get("code");
    }

    private HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "text/html").GET().build();
    }

    /** One authorization request's secrets: state, nonce, PKCE verifier. */
    private final class Flow {
        final String state = random(16);
        final String nonce = random(16);
        final String verifier = random(32);

        URI authorizeUri() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("response_type", "code");
            q.put("client_id", target.clientId());
            q.put("redirect_uri", target.redirectUri().toString());
            q.put("scope", "openid");
            q.put("state", state);
            q.put("nonce", nonce);
            q.put("code_challenge", challenge(verifier));
            q.put("code_challenge_method", "S256");
            return URI.create(target.authorize() + (target.authorize().getRawQuery() == null ? "?" : "&") + encode(q));
        }
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                query.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    static String encode(Map<String, String> fields) {
        StringJoiner joined = new StringJoiner("&");
        fields.forEach((k, v) -> joined.add(form(k) + "=" + form(v)));
        return joined.toString();
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String location(HttpResponse<?> answer) {
        return answer.headers().firstValue("Location").map(l -> " (Location " + l + ")").orElse("");
    }

    private static String excerpt(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }

    /** A step of a flow answered other than a working provider does; the message says which and how. */
    static final class FlowException extends RuntimeException {
        FlowException(String message) {
            super(message, null, false, false);
        }
    }
}
