package dev.baton.bench.sso;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One browser's cookies: a {@link CookieManager} that accepts every cookie, with two departures that make it
 * behave as a browser does on loopback. Browsers treat {@code http://127.0.0.1} as a secure context and send
 * {@code Secure} cookies to it (Keycloak marks its cookies {@code Secure} even over plain HTTP); the JDK's
 * manager sends them only over HTTPS, so requests to a loopback host are looked up as if they were HTTPS.
 * And browsers ignore the obsolete {@code Version=1} attribute Keycloak writes, which would make the JDK's
 * manager send RFC 2965 cookies ({@code $Version}, quoted values); it is dropped before the cookie is stored.
 * Thread safe as {@link CookieManager} is; each simulated browser has its own jar.
 */
final class LoopbackCookieJar extends CookieHandler {
    private static final Pattern VERSION = Pattern.compile("(?i);\\s*Version=\"?1\"?");

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) throws IOException {
        return cookies.get(loopbackAsSecure(uri), requestHeaders);
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        responseHeaders.forEach((name, values) -> {
            if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                List<String> plain = new ArrayList<>();
                values.forEach(v -> plain.add(VERSION.matcher(v).replaceAll("")));
                headers.put(name, plain);
            }
        });
        cookies.put(uri, headers);
    }

    /** Forgets every cookie, as a fresh browser profile would. */
    void clear() {
        cookies.getCookieStore().removeAll();
    }

    private static URI loopbackAsSecure(URI uri) {
        String host = uri.getHost();
        boolean loopback = host != null && (host.startsWith("127.") || host.equals("localhost") || host.equals("[::1]"));
        if (!loopback || !"http".equalsIgnoreCase(uri.getScheme())) {
            return uri;
        }
        try {
            return new URI("https", uri.getUserInfo(), host, uri.getPort(), uri.getPath(), uri.getQuery(), null);
        } catch (URISyntaxException e) {
            return uri;
        }
    }
}
