package dev.baton.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo application's refusals and bounds, without a provider behind it. */
class DemoAppTest {
    private final DemoApp app = new DemoApp();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @AfterEach
    void stop() {
        app.close();
        http.close();
    }

    private HttpResponse<String> get(String pathAndQuery, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.url().resolve(pathAndQuery));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCallbackForAStateItNeverSentIsRefusedAndWhatItEchoesIsEscaped() throws Exception {
        app.start(null);
        HttpResponse<String> r = get("/callback?code=x&state=%3Cscript%3Ealert(1)%3C/script%3E", "baton-demo-flow=\"abc\"");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("unknown, expired, or was begun in another browser").doesNotContain("<script>");
        assertThat(r.headers().firstValue("Set-Cookie")).as("no session for a refused callback").isEmpty();

        HttpResponse<String> notFound = get("/%3Cimg%20src=x%20onerror=alert(1)%3E", null);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img");
        assertThat(notFound.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
    }

    @Test
    void anUnknownSessionCookieGetsNoPageAndSignOutIsPostOnly() throws Exception {
        app.start(null);
        assertThat(get("/sign-out", "baton-demo-app=guess").statusCode()).isEqualTo(405);
        HttpResponse<String> out = http.send(HttpRequest.newBuilder(app.url().resolve("/sign-out"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Cookie", "baton-demo-app=guess").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Location")).hasValue("/signed-out");
        assertThat(get("/signed-out", null).body()).contains("You are signed out");
    }

    @Test
    void itsMapsKeepAtMostTheirCapDroppingTheOldestFirst() {
        Map<String, Integer> m = DemoApp.bounded();
        for (int i = 0; i < DemoApp.MAX_ENTRIES + 50; i++) {
            m.put("k" + i, i);
        }
        assertThat(m).hasSize(DemoApp.MAX_ENTRIES).doesNotContainKey("k0").doesNotContainKey("k49").containsKey("k50")
                .containsKey("k" + (DemoApp.MAX_ENTRIES + 49));
    }

    @Test
    void escapesWhatHtmlGivesMeaningToAndReadsTheFirstOfARepeatedParameter() {
        assertThat(DemoApp.esc("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assertThat(DemoApp.query("a=1&a=2&b=%3C")).containsEntry("a", "1").containsEntry("b", "<");
    }
}
