package dev.baton.sso;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.baton.admin.AdminCall;
import dev.baton.admin.AuditLog;
import dev.baton.admin.Operator;
import dev.baton.admin.OperatorRole;
import dev.baton.core.SessionId;
import dev.baton.store.MemorySessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the provider gives someone not entitled to it: a code taken by another client, a code redeemed for another
 * redirect URI, an ID token or a self-signed token used as an access token, an access token of a revoked session,
 * a forged {@code id_token_hint}, an oversized body. Each is refused.
 */
class SsoAttackTest {
    @TempDir
    Path dir;
    SsoRig rig;
    SsoFlowTest flows;

    @BeforeEach
    void start() {
        rig = new SsoRig(new MemorySessionStore(), dir, SsoRig.freePort(), "http://127.0.0.1:1/x", Instant.now().truncatedTo(ChronoUnit.SECONDS));
        flows = new SsoFlowTest();
        flows.rig = rig;
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    /** A browser signed in as alice, and a fresh code for app1. */
    private String[] codeForApp1(TestBrowser browser, SsoFlowTest.Ask ask) {
        HttpResponse<String> page = browser.get(ask.url(rig.issuer(), ""));
        HttpResponse<String> done = browser.post(rig.issuer() + "/sign-in", Map.of("flow", TestBrowser.flow(page), "realm", "users",
                "username", "alice", "password", "alice-pw"));
        return new String[] {TestBrowser.query(done).get("code")};
    }

    @Test
    void aCodeIsRedeemedOnlyByItsClientForItsRedirectUri() throws Exception {
        SsoFlowTest.Ask ask = SsoFlowTest.Ask.of("app1", SsoFlowTest.APP1_CB);
        String code = codeForApp1(new TestBrowser(), ask)[0];
        SsoFlowTest.Ask stolen = new SsoFlowTest.Ask("app2", SsoFlowTest.APP1_CB, ask.verifier(), ask.state(), ask.nonce());
        HttpResponse<String> byApp2 = flows.token(code, stolen, "app2-secret-0123456789", ask.verifier().getValue());
        assertThat(SsoFlowTest.json(byApp2)).containsEntry("error", "invalid_grant");
        assertThat(SsoFlowTest.json(byApp2).getAsString("error_description")).contains("another client");

        TestBrowser browser = new TestBrowser();
        String fresh = codeForApp1(browser, ask)[0];
        SsoFlowTest.Ask elsewhere = new SsoFlowTest.Ask("app1", "http://127.0.0.1:8081/app1/other", ask.verifier(), ask.state(), ask.nonce());
        HttpResponse<String> otherRedirect = flows.token(fresh, elsewhere, "app1-secret-0123456789", ask.verifier().getValue());
        assertThat(SsoFlowTest.json(otherRedirect)).containsEntry("error", "invalid_grant");
        assertThat(SsoFlowTest.json(otherRedirect).getAsString("error_description")).contains("redirect_uri");
    }

    @Test
    void userinfoTakesOnlyThisProvidersAccessTokensOfALiveSession() throws Exception {
        SsoFlowTest.Ask ask = SsoFlowTest.Ask.of("app1", SsoFlowTest.APP1_CB);
        TestBrowser browser = new TestBrowser();
        String code = codeForApp1(browser, ask)[0];
        var tokens = SsoFlowTest.json(flows.token(code, ask, "app1-secret-0123456789", ask.verifier().getValue()));
        String access = tokens.getAsString("access_token");
        assertThat(userInfo(access).statusCode()).isEqualTo(200);
        assertThat(userInfo(tokens.getAsString("id_token")).statusCode()).as("an ID token is not an access token").isEqualTo(401);
        assertThat(userInfo(selfSigned(SignedJWT.parse(access).getJWTClaimsSet(), SignedJWT.parse(access).getHeader().getKeyID()))
                .statusCode()).as("claims copied, signed with another key under the same kid").isEqualTo(401);
        assertThat(userInfo(access.substring(0, access.length() - 4) + "AAAA").statusCode()).isEqualTo(401);

        String hash = SessionId.hashOf(browser.cookie(Cookies.SESSION).getValue()).hex();
        rig.provider.adminRoutes(AuditLog.DISCARD, rig.clock).stream().filter(r -> r.path().endsWith("/{hash}/revoke")).findFirst()
                .orElseThrow().handler().handle(new AdminCall(new Operator("root", OperatorRole.ADMIN), Map.of("hash", hash), Map.of(), null));
        HttpResponse<String> afterRevoke = userInfo(access);
        assertThat(afterRevoke.statusCode()).as("the access token of a revoked session").isEqualTo(401);
        assertThat(afterRevoke.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    }

    @Test
    void aForgedIdTokenHintDoesNotSignAnyoneOut() throws Exception {
        SsoFlowTest.Ask ask = SsoFlowTest.Ask.of("app1", SsoFlowTest.APP1_CB);
        TestBrowser browser = new TestBrowser();
        String code = codeForApp1(browser, ask)[0];
        String idToken = SsoFlowTest.json(flows.token(code, ask, "app1-secret-0123456789", ask.verifier().getValue())).getAsString("id_token");
        SignedJWT real = SignedJWT.parse(idToken);
        HttpResponse<String> forged = browser.get(rig.issuer() + "/logout?id_token_hint="
                + selfSigned(real.getJWTClaimsSet(), real.getHeader().getKeyID()));
        assertThat(forged.statusCode()).isEqualTo(200);
        assertThat(forged.body()).as("only asked to confirm").contains("Sign out?");
        assertThat(browser.get(SsoFlowTest.Ask.of("app2", SsoFlowTest.APP2_CB).url(rig.issuer(), "")).statusCode())
                .as("still signed in").isEqualTo(302);
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() {
        String big = "x".repeat((int) SsoServer.MAX_BODY_BYTES + 1);
        HttpResponse<String> token = new TestBrowser().send(HttpRequest.newBuilder(URI.create(rig.issuer() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("code=" + big)).build());
        assertThat(token.statusCode()).isEqualTo(413);
        HttpResponse<String> signIn = new TestBrowser().post(rig.issuer() + "/sign-in", Map.of("flow", big));
        assertThat(signIn.statusCode()).isEqualTo(413);
    }

    private HttpResponse<String> userInfo(String token) {
        return new TestBrowser().send(HttpRequest.newBuilder(URI.create(rig.issuer() + "/userinfo"))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    /** The same claims and key id, signed with a key the attacker made. */
    private static String selfSigned(JWTClaimsSet claims, String kid) throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(kid).generate();
        JWTClaimsSet later = new JWTClaimsSet.Builder(claims).expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid)
                .type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build(), later);
        jwt.sign(new RSASSASigner(attacker));
        return jwt.serialize();
    }
}
