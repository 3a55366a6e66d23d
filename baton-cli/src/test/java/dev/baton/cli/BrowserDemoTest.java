package dev.baton.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's browser part, driven by the demo itself: what the narration says is what the browser saw. */
class BrowserDemoTest {

    @Test
    void signInOnceThenSingleSignOnWithoutPasswordThenSignOutBringsTheSignInPageBack() {
        StringWriter text = new StringWriter();
        BrowserDemo.Outcome o = new BrowserDemo(new PrintWriter(text)).run(Optional.empty());

        assertThat(o.firstVisitSignInPage()).as("the first visit ends on the provider's sign-in page").isTrue();
        assertThat(o.appPage()).contains("<p id=\"user\">Signed in as alice</p>", "(the ID token's auth_time)", "action=\"/sign-out\"");

        assertThat(o.secondVisitSignInPage()).as("no sign-in page on the second visit").isFalse();
        assertThat(o.secondVisit()).extracting(u -> u.getPath()).containsExactly("/", "/authorize", "/callback", "/");
        assertThat(o.secondVisit().get(1).getPort()).isEqualTo(o.issuer().getPort());
        assertThat(o.secondAppPage()).contains("Signed in as alice");

        assertThat(o.signOut()).extracting(u -> u.getPath()).containsExactly("/sign-out", "/logout", "/signed-out");
        assertThat(o.signOut().get(1).getQuery()).contains("id_token_hint=");
        assertThat(o.providerCookieLeft()).as("the provider cleared its authentication-session cookie").isFalse();
        assertThat(o.afterSignOutSignInPage()).as("after sign-out the application sends the browser to the sign-in page").isTrue();
        assertThat(o.afterSignOutAt().getPath()).isEqualTo("/authorize");

        assertThat(text.toString())
                .contains("which shows its sign-in page.")
                .contains("shows: \"Signed in as alice\"")
                .containsPattern("from the ID token: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\.")
                .contains("answers with a code at once: no sign-in page, no password")
                .contains("Opening the application again brings the sign-in page.")
                .contains("Not waiting for a browser")
                .doesNotContain("NOT", "Open http");
    }

    @Test
    void withSomebodyToWaitForItPrintsTheUrlAndServesUntilTheyAreDone() {
        StringWriter text = new StringWriter();
        HttpResponse<Void>[] seen = new HttpResponse[1];
        BrowserDemo.Outcome o = new BrowserDemo(new PrintWriter(text)).run(Optional.of(() -> {
            // a person's browser, with no cookies yet: the URL printed answers, and sends it to the provider to sign in
            URI printed = URI.create(text.toString().replaceAll("(?s).*Open (http://127\\.0\\.0\\.1:\\d+/) and sign in.*", "$1"));
            try (HttpClient http = HttpClient.newHttpClient()) {
                seen[0] = http.send(HttpRequest.newBuilder(printed).build(), HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }));
        assertThat(text.toString()).contains("Open " + o.app() + " and sign in as alice / " + MigrationDemo.PASSWORD)
                .contains("Serving until Enter is pressed").doesNotContain("Not waiting");
        assertThat(seen[0].statusCode()).isEqualTo(302);
        assertThat(seen[0].headers().firstValue("Location").orElseThrow()).startsWith(o.issuer() + "/authorize?");
    }
}
