package dev.baton.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The throwaway relying party starts before any provider does and sends a browser that is not signed in to the
 * provider's authorization endpoint, each application with its own client id, PKCE S256 and its own state cookie.
 * The provider here is only a static discovery document. Fails when Apache or mod_auth_openidc is missing, unless
 * {@code -Dbaton.allowSkip=true}.
 */
class ThrowawayApacheOidcTest {
    static HttpServer provider;
    static ThrowawayApacheOidc apache;
    static String issuer;

    @BeforeAll
    static void start() throws Exception {
        ThrowawayApacheOidc.missing().ifPresent(why -> {
            if (Boolean.getBoolean("baton.allowSkip")) {
                Assumptions.abort(why + "; skipped because baton.allowSkip=true");
            }
            throw new AssertionError(why + " (or set -Dbaton.allowSkip=true to skip)");
        });
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + provider.getAddress().getPort();
        byte[] discovery = """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                 "jwks_uri":"%1$s/jwks","userinfo_endpoint":"%1$s/userinfo","end_session_endpoint":"%1$s/logout",
                 "response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["RS256"],"code_challenge_methods_supported":["S256"],
                 "token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"],
                 "backchannel_logout_supported":true,"backchannel_logout_session_supported":true}
                """.formatted(issuer).getBytes(StandardCharsets.UTF_8);
        provider.createContext("/.well-known/openid-configuration", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, discovery.length);
            exchange.getResponseBody().write(discovery);
            exchange.close();
        });
        provider.start();
        apache = ThrowawayApacheOidc.start(URI.create(issuer + "/.well-known/openid-configuration"), List.of(
                new ThrowawayApacheOidc.Application("app1", "client-one", "secret-one-0123456789", "openid profile"),
                new ThrowawayApacheOidc.Application("app2", "client-two", "secret-two-0123456789", "openid")));
    }

    @AfterAll
    static void stop() {
        if (apache != null) {
            apache.close();
        }
        if (provider != null) {
            provider.stop(0);
        }
    }

    @Test
    void eachApplicationSendsABrowserThatIsNotSignedInToTheProviderWithItsOwnClientIdAndPkce() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        for (String[] app : List.of(new String[] {"app1", "client-one", "openid%20profile"},
                new String[] {"app2", "client-two", "openid"})) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(apache.home(app[0])).header("Accept", "text/html").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(apache.errorLog()).isEqualTo(302);
            String location = r.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith(issuer + "/authorize?").contains("client_id=" + app[1], "response_type=code",
                    "scope=" + app[2], "code_challenge_method=S256", "code_challenge=", "nonce=", "state=",
                    "redirect_uri=" + java.net.URLEncoder.encode(apache.redirectUri(app[0]).toString(), StandardCharsets.UTF_8));
            assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                    .startsWith("baton_" + app[0] + "_state_").contains("Path=/" + app[0] + "/", "HttpOnly"));
        }
        assertThat(apache.home("app2").getPort()).isNotEqualTo(apache.home("app1").getPort());
    }

    @Test
    void theRedirectUriTakesBackChannelAndRpInitiatedLogout() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(apache.backchannelLogoutUri("app1"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("nothing=here")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).as("a back-channel logout without a logout_token").isEqualTo(400);
        assertThat(apache.errorLog()).contains("logout_token");

        URI home = apache.home("app2");
        HttpResponse<String> signOut = http.send(HttpRequest.newBuilder(apache.logout("app2", home)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signOut.statusCode()).as("no session here: straight to the page after logout").isEqualTo(302);
        assertThat(signOut.headers().firstValue("Location")).hasValue(home.toString());
        HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(apache.logout("app2",
                URI.create("http://evil.example/"))).build(), HttpResponse.BodyHandlers.ofString());
        // mod_auth_openidc 2.4.12 answers this with an error page, status 200
        assertThat(elsewhere.headers().firstValue("Location")).as("nobody is sent to another host after logout").isEmpty();
        assertThat(elsewhere.body()).contains("does not match the hostname");
    }

    @Test
    void closingStopsApache() {
        assertThat(apache.alive()).isTrue();
        ThrowawayApacheOidc other = ThrowawayApacheOidc.start(URI.create(issuer + "/.well-known/openid-configuration"),
                List.of(new ThrowawayApacheOidc.Application("solo", "solo", "solo-secret-0123456789", "openid")));
        long pid = other.pid();
        other.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
