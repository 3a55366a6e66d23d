package dev.baton.sso;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.baton.admin.AdminCall;
import dev.baton.admin.ApiRoute;
import dev.baton.admin.AuditLog;
import dev.baton.admin.Operator;
import dev.baton.admin.OperatorRole;
import dev.baton.core.SessionId;
import dev.baton.store.MemorySessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign-out (RP-initiated, with and without an id_token_hint), back-channel logout tokens, and an operator's revocation. */
class SsoLogoutTest {
    @TempDir
    Path dir;
    SsoRig rig;
    HttpServer relyingParty;
    final List<String> logoutTokens = new CopyOnWriteArrayList<>();
    final MemorySessionStore store = new MemorySessionStore();

    @BeforeEach
    void start() throws Exception {
        relyingParty = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        relyingParty.createContext("/backchannel", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            logoutTokens.add(URLDecoder.decode(body.substring("logout_token=".length()), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        relyingParty.start();
        rig = new SsoRig(store, dir, SsoRig.freePort(), "http://127.0.0.1:" + relyingParty.getAddress().getPort() + "/backchannel",
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    @AfterEach
    void stop() {
        rig.close();
        relyingParty.stop(0);
    }

    /** Signs alice in at app1 and redeems the code; returns the ID token. */
    String signInAtApp1(TestBrowser browser) throws Exception {
        SsoFlowTest.Ask ask = SsoFlowTest.Ask.of("app1", SsoFlowTest.APP1_CB);
        HttpResponse<String> page = browser.get(ask.url(rig.issuer(), ""));
        HttpResponse<String> done = browser.post(rig.issuer() + "/sign-in", Map.of("flow", TestBrowser.flow(page), "realm", "users",
                "username", "alice", "password", "alice-pw"));
        String code = TestBrowser.query(done).get("code");
        SsoFlowTest helper = new SsoFlowTest();
        helper.rig = rig;
        HttpResponse<String> tokens = helper.token(code, ask, "app1-secret-0123456789", ask.verifier().getValue());
        return SsoFlowTest.json(tokens).getAsString("id_token");
    }

    @Test
    void signOutWithAnIdTokenHintEndsTheSessionTellsTheRelyingPartyAndGoesBack() throws Exception {
        TestBrowser browser = new TestBrowser();
        String idToken = signInAtApp1(browser);
        String sid = SignedJWT.parse(idToken).getJWTClaimsSet().getStringClaim("sid");
        HttpResponse<String> out = browser.get(rig.issuer() + "/logout?id_token_hint=" + idToken
                + "&post_logout_redirect_uri=" + SsoFlowTest.enc("http://127.0.0.1:8081/app1/") + "&state=s1");
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Location")).hasValue("http://127.0.0.1:8081/app1/?state=s1");
        assertThat(out.headers().allValues("Set-Cookie")).anyMatch(h -> h.startsWith(Cookies.SESSION + "=;") && h.contains("Max-Age=0"));

        assertThat(logoutTokens).hasSize(1);
        SignedJWT token = SignedJWT.parse(logoutTokens.get(0));
        JWKSet keys = JWKSet.parse(new TestBrowser().get(rig.issuer() + "/jwks").body());
        assertThat(token.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(keys.getKeyByKeyId(token.getHeader().getKeyID()).toRSAKey()))).isTrue();
        assertThat(token.getHeader().getType().getType()).isEqualTo("logout+jwt");
        JWTClaimsSet c = token.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo(rig.issuer());
        assertThat(c.getAudience()).containsExactly("app1");
        assertThat(c.getStringClaim("sid")).isEqualTo(sid);
        assertThat(c.getSubject()).isEqualTo("alice");
        assertThat(c.getClaim("nonce")).isNull();
        assertThat(c.getJSONObjectClaim("events")).containsKey("http://schemas.openid.net/event/backchannel-logout");

        HttpResponse<String> again = browser.get(SsoFlowTest.Ask.of("app2", SsoFlowTest.APP2_CB).url(rig.issuer(), ""));
        assertThat(again.statusCode()).as("signed out: the sign-in page again").isEqualTo(200);
    }

    @Test
    void aLinkToLogoutWithoutAHintOnlyAsksAndTheConfirmationSignsOut() throws Exception {
        TestBrowser browser = new TestBrowser();
        signInAtApp1(browser);
        HttpResponse<String> asked = browser.get(rig.issuer() + "/logout");
        assertThat(asked.statusCode()).isEqualTo(200);
        assertThat(asked.body()).contains("Sign out?");
        assertThat(logoutTokens).isEmpty();
        SsoFlowTest.Ask ask = SsoFlowTest.Ask.of("app2", SsoFlowTest.APP2_CB);
        assertThat(browser.get(ask.url(rig.issuer(), "")).statusCode()).as("still signed in").isEqualTo(302);

        assertThat(browser.post(rig.issuer() + "/logout", Map.of("confirm", "0".repeat(64))).statusCode()).isEqualTo(200);
        assertThat(browser.get(ask.url(rig.issuer(), "")).statusCode()).as("a guessed confirmation does nothing").isEqualTo(302);

        String confirm = asked.body().replaceAll("(?s).*name=\"confirm\" value=\"([0-9a-f]{64})\".*", "$1");
        HttpResponse<String> done = browser.post(rig.issuer() + "/logout", Map.of("confirm", confirm));
        assertThat(done.body()).contains("You are signed out");
        assertThat(logoutTokens).hasSize(1);
        assertThat(browser.get(ask.url(rig.issuer(), "")).statusCode()).isEqualTo(200);
    }

    @Test
    void anOperatorRevokesAnAuthenticationSessionAndTheBrowserMustSignInAgain() throws Exception {
        TestBrowser browser = new TestBrowser();
        signInAtApp1(browser);
        String hash = SessionId.hashOf(browser.cookie(Cookies.SESSION).getValue()).hex();
        List<ApiRoute> routes = rig.provider.adminRoutes(AuditLog.DISCARD, rig.clock);
        Operator admin = new Operator("root", OperatorRole.ADMIN);
        Object listed = route(routes, "GET", "/authentication-sessions").handler().handle(new AdminCall(admin, Map.of(), Map.of("user", "alice"), null));
        assertThat(listed.toString()).contains(hash, "gw-sso/sso");
        Object counted = route(routes, "GET", "/authentication-sessions/count").handler().handle(new AdminCall(admin, Map.of(), Map.of(), null));
        assertThat(counted).isEqualTo(Map.of("gateway", "gw-sso", "count", 1L));

        route(routes, "POST", "/authentication-sessions/{hash}/revoke").handler().handle(new AdminCall(admin, Map.of("hash", hash), Map.of(), null));
        assertThat(logoutTokens).as("the relying parties are told").hasSize(1);
        assertThat(store.load(SessionId.hashOf(browser.cookie(Cookies.SESSION).getValue()))).isEmpty();
        assertThat(browser.get(SsoFlowTest.Ask.of("app2", SsoFlowTest.APP2_CB).url(rig.issuer(), "")).statusCode()).isEqualTo(200);
    }

    static ApiRoute route(List<ApiRoute> routes, String method, String path) {
        return routes.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).findFirst().orElseThrow();
    }
}
