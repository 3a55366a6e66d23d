package dev.baton.bench.sso;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackCookieJarTest {
    private static final String KEYCLOAK_COOKIE =
            "AUTH_SESSION_ID=abc.def;Version=1;Path=/realms/bench/;Secure;HttpOnly;SameSite=None";

    @Test
    void aSecureCookieFromPlainHttpOnLoopbackIsSentBackPlainAsABrowserDoes() throws Exception {
        LoopbackCookieJar jar = new LoopbackCookieJar();
        jar.put(URI.create("http://127.0.0.1:8080/realms/bench/protocol/openid-connect/auth"),
                Map.of("Set-Cookie", List.of(KEYCLOAK_COOKIE)));

        Map<String, List<String>> sent = jar.get(URI.create("http://127.0.0.1:8080/realms/bench/login-actions/authenticate"), Map.of());

        assertThat(sent.get("Cookie")).containsExactly("AUTH_SESSION_ID=abc.def");
    }

    @Test
    void aCookieIsNotSentOutsideItsPathNorAfterTheJarIsCleared() throws Exception {
        LoopbackCookieJar jar = new LoopbackCookieJar();
        jar.put(URI.create("http://127.0.0.1:8080/realms/bench/x"), Map.of("Set-Cookie", List.of(KEYCLOAK_COOKIE)));

        assertThat(jar.get(URI.create("http://127.0.0.1:8080/admin/"), Map.of()).getOrDefault("Cookie", List.of())).isEmpty();
        jar.clear();
        assertThat(jar.get(URI.create("http://127.0.0.1:8080/realms/bench/x"), Map.of()).getOrDefault("Cookie", List.of())).isEmpty();
    }

    @Test
    void aSecureCookieIsNotSentOverPlainHttpToAnotherHost() throws Exception {
        LoopbackCookieJar jar = new LoopbackCookieJar();
        jar.put(URI.create("http://example.test/a"), Map.of("Set-Cookie", List.of("s=1; Path=/; Secure")));

        assertThat(jar.get(URI.create("http://example.test/a"), Map.of()).getOrDefault("Cookie", List.of())).isEmpty();
    }
}
