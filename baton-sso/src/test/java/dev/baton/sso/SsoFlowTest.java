package dev.baton.sso;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.baton.core.SessionId;
import dev.baton.store.MemorySessionStore;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The authorization code flow end to end over HTTPS, as a browser and a relying party see it. */
class SsoFlowTest {
    static final String APP1_CB = "http://127.0.0.1:8081/app1/cb";
    static final String APP2_CB = "http://127.0.0.1:8082/app2/cb";

    @TempDir
    Path dir;
    SsoRig rig;
    MemorySessionStore store = new MemorySessionStore();

    @BeforeEach
    void start() {
        rig = new SsoRig(store, dir, SsoRig.freePort(), "http://127.0.0.1:1/none", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    /** One authorization request's parameters, with a fresh PKCE verifier, state and nonce. */
    record Ask(String client, String redirect, CodeVerifier verifier, String state, String nonce) {
        static Ask of(String client, String redirect) {
            return new Ask(client, redirect, new CodeVerifier(), Long.toHexString(System.nanoTime()), Long.toHexString(System.nanoTime() * 31));
        }

        String url(String issuer, String extra) {
            return issuer + "/authorize?response_type=code&scope=" + enc("openid profile email roles") + "&client_id=" + client
                    + "&redirect_uri=" + enc(redirect) + "&state=" + state + "&nonce=" + nonce + "&code_challenge_method=S256"
                    + "&code_challenge=" + CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue() + extra;
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    HttpResponse<String> signIn(TestBrowser browser, HttpResponse<String> page, String realm, String user, String password, boolean keep) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("flow", TestBrowser.flow(page), "realm", realm, "username", user,
                "password", password));
        if (keep) {
            form.put("keep", "on");
        }
        return browser.post(rig.issuer() + "/sign-in", form);
    }

    HttpResponse<String> token(String code, Ask ask, String secret, String verifier) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", ask.redirect()));
        if (verifier != null) {
            form.put("code_verifier", verifier);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(rig.issuer() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (secret != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((ask.client() + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", ask.client());
        }
        return new TestBrowser().send(b.POST(HttpRequest.BodyPublishers.ofString(TestBrowser.encode(form))).build());
    }

    static JSONObject json(HttpResponse<String> r) throws Exception {
        return (JSONObject) new JSONParser(JSONParser.MODE_STRICTEST).parse(r.body());
    }

    /** Signs alice in at app1 and returns the browser. */
    TestBrowser signedInAlice(boolean keep) {
        TestBrowser browser = new TestBrowser();
        Ask ask = Ask.of("app1", APP1_CB);
        HttpResponse<String> page = browser.get(ask.url(rig.issuer(), ""));
        HttpResponse<String> done = signIn(browser, page, "users", "alice", "alice-pw", keep);
        assertThat(done.statusCode()).isEqualTo(303);
        return browser;
    }

    @Test
    void signInOnceThenASecondApplicationGetsACodeWithoutASignInPage() throws Exception {
        TestBrowser browser = new TestBrowser();
        Ask ask = Ask.of("app1", APP1_CB);
        HttpResponse<String> page = browser.get(ask.url(rig.issuer(), ""));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"/sign-in\"", "autocomplete=\"current-password\"",
                "<label for=\"username-users\">", "Keep me signed in");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");

        HttpResponse<String> done = signIn(browser, page, "users", "alice", "alice-pw", false);
        assertThat(done.statusCode()).isEqualTo(303);
        Map<String, String> answer = TestBrowser.query(done);
        assertThat(done.headers().firstValue("Location").orElseThrow()).startsWith(APP1_CB + "?");
        assertThat(answer).containsEntry("state", ask.state()).containsEntry("iss", rig.issuer()).containsKey("code");

        HttpResponse<String> tokens = token(answer.get("code"), ask, "app1-secret-0123456789", ask.verifier().getValue());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        JWTClaimsSet id = validate(json(tokens).getAsString("id_token"), "app1", ask.nonce());
        assertThat(id.getSubject()).isEqualTo("alice");
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(id.getClaim("email")).isEqualTo("alice@example.test");
        assertThat(id.getStringListClaim("roles")).containsExactly("staff");
        assertThat(id.getDateClaim("auth_time").toInstant()).isEqualTo(rig.clock.instant());
        String sid = id.getStringClaim("sid");

        HttpResponse<String> userInfo = new TestBrowser().send(HttpRequest.newBuilder(URI.create(rig.issuer() + "/userinfo"))
                .header("Authorization", "Bearer " + json(tokens).getAsString("access_token")).GET().build());
        assertThat(userInfo.statusCode()).isEqualTo(200);
        assertThat(json(userInfo)).containsEntry("sub", "alice").containsEntry("preferred_username", "alice").containsEntry("name", "Alice A");

        rig.clock.advance(Duration.ofMinutes(10));
        Ask second = Ask.of("app2", APP2_CB);
        HttpResponse<String> sso = browser.get(second.url(rig.issuer(), ""));
        assertThat(sso.statusCode()).as("no sign-in page: a code at once").isEqualTo(302);
        Map<String, String> code2 = TestBrowser.query(sso);
        HttpResponse<String> tokens2 = token(code2.get("code"), second, "app2-secret-0123456789", second.verifier().getValue());
        JWTClaimsSet id2 = validate(json(tokens2).getAsString("id_token"), "app2", second.nonce());
        assertThat(id2.getStringClaim("sid")).isEqualTo(sid);
        assertThat(id2.getDateClaim("auth_time")).isEqualTo(id.getDateClaim("auth_time"));
        assertThat(id2.getClaim("email")).as("app2 may not have the email scope... it may: default scopes").isNotNull();
    }

    @Test
    void theCookieIsHostOnlySecureHttpOnlyLaxAndOnlyItsHashIsStored() {
        TestBrowser browser = signedInAlice(false);
        HttpCookie cookie = browser.cookie(Cookies.SESSION);
        assertThat(cookie).isNotNull();
        assertThat(cookie.getSecure()).isTrue();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getPath()).isEqualTo("/");
        assertThat(cookie.getMaxAge()).as("a browser-session cookie").isEqualTo(-1);
        assertThat(cookie.getValue()).hasSize(43);
        var stored = store.load(SessionId.hashOf(cookie.getValue())).orElseThrow();
        assertThat(stored.session().owner()).isEqualTo("gw-sso/sso");
        assertThat(stored.session().user()).isEqualTo("alice");
        assertThat(stored.toString()).doesNotContain(cookie.getValue());
        assertThat(rig.gateway.session(stored.session().hash())).as("the agent API never sees a browser session").isEmpty();
    }

    @Test
    void setCookieHeaderCarriesEveryAttribute() {
        TestBrowser browser = new TestBrowser();
        Ask ask = Ask.of("app1", APP1_CB);
        HttpResponse<String> done = signIn(browser, browser.get(ask.url(rig.issuer(), "")), "users", "alice", "alice-pw", true);
        String header = done.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(Cookies.SESSION)).findFirst().orElseThrow();
        assertThat(header).contains("; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax", "; Max-Age=" + Duration.ofHours(8).toSeconds())
                .doesNotContain("Domain");
        HttpResponse<String> persistentRealm = signIn(new TestBrowser(), new TestBrowser().get(ask.url(rig.issuer(), "")), "staff",
                "carol", "carol-pw", false);
        assertThat(persistentRealm.statusCode()).as("the flow belongs to another browser").isEqualTo(400);
    }

    @Test
    void aPersistentRealmsCookieOutlivesTheBrowserAndANonPersistentOneDoesNot() {
        TestBrowser browser = new TestBrowser();
        Ask ask = Ask.of("app1", APP1_CB);
        HttpResponse<String> done = signIn(browser, browser.get(ask.url(rig.issuer(), "")), "staff", "carol", "carol-pw", false);
        assertThat(done.headers().allValues("Set-Cookie")).anyMatch(h -> h.startsWith(Cookies.SESSION) && h.contains("Max-Age=28800"));
        TestBrowser other = new TestBrowser();
        HttpResponse<String> plain = signIn(other, other.get(ask.url(rig.issuer(), "")), "users", "bob", "bob-pw", false);
        assertThat(plain.headers().allValues("Set-Cookie")).anyMatch(h -> h.startsWith(Cookies.SESSION) && !h.contains("Max-Age"));
    }

    @Test
    void idleTimeoutMaxAgeAndPromptLoginBringTheSignInPageBack() {
        TestBrowser browser = signedInAlice(false);
        Ask ask = Ask.of("app2", APP2_CB);
        assertThat(browser.get(ask.url(rig.issuer(), "")).statusCode()).isEqualTo(302);
        assertThat(browser.get(ask.url(rig.issuer(), "&prompt=login")).statusCode()).isEqualTo(200);
        rig.clock.advance(Duration.ofMinutes(5));
        assertThat(browser.get(ask.url(rig.issuer(), "&max_age=600")).statusCode()).isEqualTo(302);
        assertThat(browser.get(ask.url(rig.issuer(), "&max_age=60")).statusCode()).as("signed in over a minute ago").isEqualTo(200);
        rig.clock.advance(Duration.ofMinutes(29));
        assertThat(browser.get(ask.url(rig.issuer(), "")).statusCode()).as("29 minutes idle of 30").isEqualTo(302);
        rig.clock.advance(Duration.ofMinutes(31));
        HttpResponse<String> page = browser.get(ask.url(rig.issuer(), ""));
        assertThat(page.statusCode()).as("past the idle timeout").isEqualTo(200);
        assertThat(page.body()).contains("Sign in");
        HttpResponse<String> none = browser.get(ask.url(rig.issuer(), "&prompt=none"));
        assertThat(TestBrowser.query(none)).containsEntry("error", "login_required").containsEntry("state", ask.state());
    }

    @Test
    void aTamperedOrMadeUpCookieGetsTheSignInPage() {
        TestBrowser browser = signedInAlice(false);
        HttpCookie cookie = browser.cookie(Cookies.SESSION);
        char[] v = cookie.getValue().toCharArray();
        v[10] = v[10] == 'A' ? 'B' : 'A';
        HttpResponse<String> page = new TestBrowser().send(HttpRequest.newBuilder(URI.create(Ask.of("app2", APP2_CB).url(rig.issuer(), "")))
                .header("Cookie", Cookies.SESSION + "=" + new String(v)).GET().build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("action=\"/sign-in\"");
        HttpResponse<String> junk = new TestBrowser().send(HttpRequest.newBuilder(URI.create(Ask.of("app2", APP2_CB).url(rig.issuer(), "")))
                .header("Cookie", Cookies.SESSION + "=' OR 1=1 --").GET().build());
        assertThat(junk.statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordIsRefusedOnThePageAndRepeatedFailuresAreThrottled() {
        TestBrowser browser = new TestBrowser();
        Ask ask = Ask.of("app1", APP1_CB);
        HttpResponse<String> page = browser.get(ask.url(rig.issuer(), ""));
        HttpResponse<String> wrong = signIn(browser, page, "users", "alice", "nope", false);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("role=\"alert\"", "Wrong user name or password").contains("value=\"alice\"");
        assertThat(browser.cookie(Cookies.SESSION)).isNull();
        HttpResponse<String> last = wrong;
        for (int i = 0; i < 6 && last.statusCode() != 429; i++) {
            last = signIn(browser, last, "users", "alice", "nope", false);
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(last.body()).contains("Too many failed sign-ins");
        HttpResponse<String> evenRight = signIn(browser, last, "users", "alice", "alice-pw", false);
        assertThat(evenRight.statusCode()).as("throttled before the password is checked").isEqualTo(429);
    }

    @Test
    void aSignInFormWithoutTheBrowsersBindingCookieIsRefused() {
        TestBrowser victim = new TestBrowser();
        HttpResponse<String> attackerPage = new TestBrowser().get(Ask.of("app1", APP1_CB).url(rig.issuer(), ""));
        HttpResponse<String> forged = signIn(victim, attackerPage, "users", "bob", "bob-pw", false);
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("not started in this browser");
        assertThat(victim.cookie(Cookies.SESSION)).isNull();
    }

    @Test
    void anUnregisteredRedirectUriOrUnknownClientGetsAnErrorPageNeverARedirect() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> evil = browser.get(Ask.of("app1", "https://evil.example/cb").url(rig.issuer(), ""));
        assertThat(evil.statusCode()).isEqualTo(400);
        assertThat(evil.headers().firstValue("Location")).isEmpty();
        assertThat(evil.body()).contains("not registered");
        HttpResponse<String> prefix = browser.get(Ask.of("app1", APP1_CB + "/../x").url(rig.issuer(), ""));
        assertThat(prefix.statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = browser.get(Ask.of("nobody", APP1_CB).url(rig.issuer(), ""));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("not registered with this sign-in service");
        HttpResponse<String> implicit = browser.get(Ask.of("app1", APP1_CB).url(rig.issuer(), "").replace("response_type=code", "response_type=token"));
        assertThat(TestBrowser.query(implicit).get("error")).isIn("unsupported_response_type", "invalid_request");
    }

    @Test
    void aMissingOrWrongPkceVerifierAUsedCodeOrAWrongSecretGetsNoTokens() throws Exception {
        TestBrowser browser = signedInAlice(false);
        Ask ask = Ask.of("app1", APP1_CB);
        String code = TestBrowser.query(browser.get(ask.url(rig.issuer(), ""))).get("code");
        HttpResponse<String> missing = token(code, ask, "app1-secret-0123456789", null);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing)).containsEntry("error", "invalid_grant");
        assertThat(json(missing).getAsString("error_description")).contains("code_verifier is required");

        String code2 = TestBrowser.query(browser.get(ask.url(rig.issuer(), ""))).get("code");
        HttpResponse<String> wrong = token(code2, ask, "app1-secret-0123456789", new CodeVerifier().getValue());
        assertThat(json(wrong)).containsEntry("error", "invalid_grant");
        assertThat(json(wrong).getAsString("error_description")).contains("does not match");
        assertThat(json(token(code2, ask, "app1-secret-0123456789", ask.verifier().getValue())))
                .as("a code is single-use, even after a failed attempt").containsEntry("error", "invalid_grant");

        String code3 = TestBrowser.query(browser.get(ask.url(rig.issuer(), ""))).get("code");
        HttpResponse<String> badSecret = token(code3, ask, "not-the-secret-000000", ask.verifier().getValue());
        assertThat(badSecret.statusCode()).isEqualTo(401);
        assertThat(json(badSecret)).containsEntry("error", "invalid_client");

        String code4 = TestBrowser.query(browser.get(ask.url(rig.issuer(), ""))).get("code");
        assertThat(token(code4, ask, "app1-secret-0123456789", ask.verifier().getValue()).statusCode()).isEqualTo(200);
        assertThat(json(token(code4, ask, "app1-secret-0123456789", ask.verifier().getValue()))).containsEntry("error", "invalid_grant");
    }

    @Test
    void aPublicClientMustUsePkceAndSendsNoSecret() throws Exception {
        TestBrowser browser = signedInAlice(false);
        Ask spa = Ask.of("spa", "http://127.0.0.1:8083/spa/cb");
        String noPkce = spa.url(rig.issuer(), "").replaceAll("&code_challenge_method=S256&code_challenge=[^&]+", "");
        assertThat(TestBrowser.query(browser.get(noPkce))).containsEntry("error", "invalid_request");
        String code = TestBrowser.query(browser.get(spa.url(rig.issuer(), ""))).get("code");
        HttpResponse<String> tokens = token(code, spa, null, spa.verifier().getValue());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        validate(json(tokens).getAsString("id_token"), "spa", spa.nonce());
    }

    /** Validates an ID token as a relying party would, with the Nimbus validator and the provider's published keys. */
    JWTClaimsSet validate(String idToken, String client, String nonce) throws Exception {
        JWKSet keys = JWKSet.parse(new TestBrowser().get(rig.issuer() + "/jwks").body());
        IDTokenValidator validator = new IDTokenValidator(new Issuer(rig.issuer()), new ClientID(client), JWSAlgorithm.RS256, keys);
        validator.setMaxClockSkew(0);
        SignedJWT jwt = SignedJWT.parse(idToken);
        // the validator checks time against the system clock; the provider's clock is moved by hand, so only when they agree
        if (Math.abs(Duration.between(rig.clock.instant(), Instant.now()).toMinutes()) < 5) {
            validator.validate(jwt, new Nonce(nonce));
        }
        assertThat(jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(keys.getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey()))).isTrue();
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo(rig.issuer());
        assertThat(c.getAudience()).containsExactly(client);
        assertThat(c.getStringClaim("nonce")).isEqualTo(nonce);
        return c;
    }
}
