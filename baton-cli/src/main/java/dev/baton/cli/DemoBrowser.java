package dev.baton.cli;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the demo drives the browser part with: an HTTP client with a cookie jar that follows redirects itself, so
 * that the demo can say where each one went. It trusts the provider's certificate only. Not thread-safe.
 */
final class DemoBrowser {
    private static final Pattern FLOW = Pattern.compile("name=\"flow\" value=\"([^\"]+)\"");
    private static final int MAX_REDIRECTS = 10;

    /** One answer: the address asked, its status and body. */
    record Hop(URI uri, int status, String body) {
        /** Whether this is the provider's sign-in page. */
        boolean signInPage() {
            return status == 200 && FLOW.matcher(body).find();
        }
    }

    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    DemoBrowser(SSLContext tls) {
        http = HttpClient.newBuilder().sslContext(tls).cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Opens {@code uri} and follows redirects; returns every answer on the way, the last one a page. */
    List<Hop> open(URI uri) {
        return follow(HttpRequest.newBuilder(uri).GET());
    }

    /** Posts a form and follows the redirects that answer it. */
    List<Hop> post(URI uri, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return follow(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * Fills in and posts the sign-in page's form for a password realm.
     *
     * @param page a sign-in page ({@link Hop#signInPage()})
     */
    List<Hop> signIn(Hop page, String realm, String user, String password) {
        Matcher m = FLOW.matcher(page.body());
        if (!m.find()) {
            throw new IllegalStateException("not a sign-in page: " + page.uri());
        }
        return post(page.uri().resolve("/sign-in"), Map.of("flow", m.group(1), "realm", realm, "username", user, "password", password));
    }

    /** Forgets the cookies of that name, as if the site that set them had never been visited. */
    void dropCookie(String name) {
        cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).toList()
                .forEach(c -> cookies.getCookieStore().remove(null, c));
    }

    /** Whether the jar holds a cookie of that name. */
    boolean hasCookie(String name) {
        return cookies.getCookieStore().getCookies().stream().anyMatch(c -> c.getName().equals(name));
    }

    private List<Hop> follow(HttpRequest.Builder first) {
        List<Hop> hops = new ArrayList<>();
        HttpRequest request = first.timeout(Duration.ofSeconds(20)).build();
        for (int i = 0; i <= MAX_REDIRECTS; i++) {
            HttpResponse<String> r = send(request);
            hops.add(new Hop(request.uri(), r.statusCode(), r.body()));
            String location = r.headers().firstValue("Location").orElse(null);
            if (r.statusCode() / 100 != 3 || location == null) {
                return hops;
            }
            request = HttpRequest.newBuilder(request.uri().resolve(location)).timeout(Duration.ofSeconds(20)).GET().build();
        }
        throw new IllegalStateException("more than " + MAX_REDIRECTS + " redirects from " + hops.get(0).uri());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
