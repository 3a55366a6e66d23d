package dev.baton.sso;

import dev.baton.agent.AgentTls;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser as far as the provider can tell: a cookie jar, no redirects followed, forms posted by hand. */
final class TestBrowser {
    private static final Pattern HIDDEN_FLOW = Pattern.compile("name=\"flow\" value=\"([^\"]+)\"");

    final CookieManager cookies = new CookieManager();
    private final HttpClient http = HttpClient.newBuilder().sslContext(AgentTls.trustAll()).cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    HttpResponse<String> post(String url, Map<String, String> form) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The flow id of a sign-in page. */
    static String flow(HttpResponse<String> page) {
        Matcher m = HIDDEN_FLOW.matcher(page.body());
        if (!m.find()) {
            throw new AssertionError("not a sign-in page: " + page.statusCode() + " " + page.body());
        }
        return m.group(1);
    }

    /** The query parameters of a redirect's Location. */
    static Map<String, String> query(HttpResponse<String> redirect) {
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("no redirect: " + redirect.statusCode() + " " + redirect.body())));
        Map<String, String> out = new LinkedHashMap<>();
        if (location.getRawQuery() != null) {
            for (String pair : location.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    HttpCookie cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst().orElse(null);
    }

    static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
