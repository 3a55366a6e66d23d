package dev.baton.bench.sso;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SignInFormTest {
    private static final URI PAGE = URI.create("http://127.0.0.1:8080/realms/bench/protocol/openid-connect/auth?client_id=x");

    @Test
    void keycloaksLoginFormPostsToItsUnescapedActionWithTheHiddenCredentialId() {
        String html = """
                <form id="kc-select-language"><input type="text" name="q"></form>
                <form id="kc-form-login" onsubmit="login.disabled = true; return true;"
                      action="http://127.0.0.1:8080/realms/bench/login-actions/authenticate?session_code=abc&amp;execution=e-1&amp;client_id=bench-app" method="post">
                  <input id="username" name="username" value="" type="text" autocomplete="username" autofocus>
                  <input id="password" name="password" value="" type="password" autocomplete="current-password" />
                  <input type="checkbox" id="rememberMe" name="rememberMe">
                  <input type="hidden" id="id-hidden-input" name="credentialId" />
                  <input class="pf-c-button" name="login" id="kc-login" type="submit" value="Sign In"/>
                </form>
                """;

        SignInForm form = SignInForm.read(html, PAGE, "alice", "pw").orElseThrow();

        assertThat(form.action()).isEqualTo(URI.create(
                "http://127.0.0.1:8080/realms/bench/login-actions/authenticate?session_code=abc&execution=e-1&client_id=bench-app"));
        assertThat(form.fields()).containsExactly(Map.entry("username", "alice"), Map.entry("password", "pw"),
                Map.entry("credentialId", ""));
    }

    @Test
    void batonsSignInFormKeepsTheFlowFieldAndTheSelectedRealmAndResolvesARelativeAction() {
        String html = """
                <form method='post' action='/sign-in'>
                  <input type='hidden' name='flow' value='f&#x2d;1&amp;2'>
                  <label>Realm <select name='realm'><option value='staff'>Staff</option><option value='users' selected>Users</option></select></label>
                  <input name='username' type='email'><input name='password' type='password'>
                  <input type='checkbox' name='keep' value='on'>
                </form>
                """;

        SignInForm form = SignInForm.read(html, URI.create("https://127.0.0.1:9445/authorize?x=1"), "alice", "pw").orElseThrow();

        assertThat(form.action()).isEqualTo(URI.create("https://127.0.0.1:9445/sign-in"));
        assertThat(form.fields()).containsExactly(Map.entry("flow", "f-1&2"), Map.entry("username", "alice"),
                Map.entry("password", "pw"), Map.entry("realm", "users"));
    }

    @Test
    void aPageWithoutAPasswordFieldHasNoSignInForm() {
        assertThat(SignInForm.read("<form action='/x'><input name='q'></form>", PAGE, "a", "b")).isEmpty();
    }
}
