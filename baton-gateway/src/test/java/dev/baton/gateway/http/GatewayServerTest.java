package dev.baton.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthServerKind;
import dev.baton.core.GatewayKind;
import dev.baton.core.Realm;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.Role;
import dev.baton.core.SessionId;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.InMemoryFederation;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent API's answers to good and bad requests, over real HTTP. */
class GatewayServerTest {
    static GatewayServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        LocalAccounts accounts = new LocalAccounts(1024, 1).add("alice", "secret".toCharArray(), Map.of());
        GatewayConfig config = new GatewayConfig("gw-http", GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff"), accounts)),
                new AccessPolicy(List.of(Role.plain("staff")), List.of()));
        server = new GatewayServer(new Gateway(config, new InMemoryFederation(Runnable::run), Clock.systemUTC()),
                new InetSocketAddress("127.0.0.1", 0), null, null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The agent's key pair, bound to every session these tests sign in. */
    static final java.security.KeyPair KEYS = ProofOfPossession.newKeyPair();

    static String signIn(String password) {
        return "{\"realm\":\"users\",\"username\":\"alice\",\"password\":\"" + password + "\",\"agentKey\":\""
                + ProofOfPossession.encode(KEYS.getPublic()) + "\"}";
    }

    /** POSTs with the session's id and, if {@code key} is given, its proof for the path's operation. */
    static HttpResponse<String> post(String path, String body, String session, java.security.PrivateKey key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Authorization", "Session " + session);
            if (key != null && session.length() == 43) {
                JsonNode challenge = json(post("/api/v1/challenge", "", null, null));
                String c = challenge.path("value").asText();
                b.header(GatewayServer.CHALLENGE_HEADER, c).header(GatewayServer.SIGNATURE_HEADER, ProofOfPossession.sign(key,
                        path.substring("/api/v1/".length()), challenge.path("gateway").asText(), SessionId.hashOf(session), c));
            }
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body, String session) throws Exception {
        return post(path, body, session, KEYS.getPrivate());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return GatewayServer.JSON.readTree(r.body());
    }

    @Test
    void signInAndAccessOverHttp() throws Exception {
        HttpResponse<String> r = post("/api/v1/sign-in", signIn("secret"), null);
        assertThat(r.statusCode()).isEqualTo(200);
        String id = json(r).path("sessionId").asText();
        assertThat(id).hasSize(43);
        HttpResponse<String> access = post("/api/v1/access", "", id);
        assertThat(access.statusCode()).isEqualTo(200);
        assertThat(json(access).path("roles").get(0).asText()).isEqualTo("staff");
        assertThat(json(access).path("startTime").asText()).endsWith("Z");
    }

    @Test
    void heartbeatsCarryThePostureOrNothing() throws Exception {
        HttpResponse<String> r = post("/api/v1/sign-in", signIn("secret"), null);
        String id = json(r).path("sessionId").asText();
        HttpResponse<String> withPosture = post("/api/v1/heartbeat", "{\"posture\":{\"antivirus\":\"running\"}}", id);
        assertThat(withPosture.statusCode()).isEqualTo(200);
        assertThat(json(withPosture).path("outcome").asText()).isEqualTo("active");
        assertThat(post("/api/v1/heartbeat", "", id).statusCode()).isEqualTo(200);
        HttpResponse<String> malformed = post("/api/v1/heartbeat", "{\"posture\": [", id);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).path("message").asText()).contains("malformed JSON for Heartbeat");
    }

    @Test
    void malformedJsonIsRefusedWithTheProblem() throws Exception {
        HttpResponse<String> r = post("/api/v1/sign-in", "{\"realm\": \"users\", ", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(json(r).path("message").asText()).startsWith("malformed JSON for SignInRequest");
    }

    @Test
    void unknownFieldsAreNamed() throws Exception {
        HttpResponse<String> r = post("/api/v1/sign-in", "{\"realm\":\"users\",\"username\":\"a\",\"pasword\":\"x\"}", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("message").asText()).isEqualTo("unknown field 'pasword' in SignInRequest");
    }

    @Test
    void missingRequiredFieldsAreNamed() throws Exception {
        HttpResponse<String> r = post("/api/v1/sign-in", "{\"username\":\"alice\"}", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("message").asText()).contains("realm");
    }

    @Test
    void oversizedBodiesAreRefused() throws Exception {
        HttpResponse<String> r = post("/api/v1/sign-in", "{\"realm\":\"" + "x".repeat(200_000) + "\"}", null);
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void unknownSessionsAndMissingHeadersAreRefused() throws Exception {
        HttpResponse<String> unknown = post("/api/v1/access", "", "A".repeat(43));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("code").asText()).isEqualTo("UNKNOWN_SESSION");
        HttpResponse<String> malformed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/v1/access")).POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Session not-an-id")
                .header(GatewayServer.CHALLENGE_HEADER, "x").header(GatewayServer.SIGNATURE_HEADER, "y").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).path("message").asText()).contains("43 base64url characters");
        HttpResponse<String> noHeader = post("/api/v1/access", "", null);
        assertThat(json(noHeader).path("message").asText()).contains("Authorization: Session");
    }

    @Test
    void overlongUserNamesAndPasswordsAreRefusedBeforeAnyCheckNamingTheField() throws Exception {
        String key = ProofOfPossession.encode(KEYS.getPublic());
        HttpResponse<String> user = post("/api/v1/sign-in", "{\"realm\":\"users\",\"username\":\"" + "a".repeat(10_000)
                + "\",\"password\":\"x\",\"agentKey\":\"" + key + "\"}", null);
        assertThat(user.statusCode()).isEqualTo(400);
        assertThat(json(user).path("message").asText()).contains("username is longer than 256 characters");
        HttpResponse<String> password = post("/api/v1/sign-in", "{\"realm\":\"users\",\"username\":\"alice\",\"password\":\""
                + "p".repeat(5_000) + "\",\"agentKey\":\"" + key + "\"}", null);
        assertThat(password.statusCode()).isEqualTo(400);
        assertThat(json(password).path("message").asText()).contains("password is longer than 1024 characters");
    }

    @Test
    void craftedChallengesAndAProofMadeForAnotherOperationAreRefused() throws Exception {
        String id = json(post("/api/v1/sign-in", signIn("secret"), null)).path("sessionId").asText();
        for (String crafted : List.of("g.", "g..", "g.1.2", "g.99999999999999.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA",
                "agent:1:x:gw-http", "x".repeat(2_000))) {
            HttpResponse<String> r = postWithProof("/api/v1/access", "", id, crafted, "c2lnbmF0dXJl");
            assertThat(r.statusCode()).as(crafted).isEqualTo(401);
            assertThat(json(r).path("code").asText()).isEqualTo("STALE_CHALLENGE");
        }
        // A proof the agent made for access, presented for sign-out: the signature covers the operation.
        JsonNode challenge = json(post("/api/v1/challenge", "", null, null));
        String c = challenge.path("value").asText();
        String forAccess = ProofOfPossession.sign(KEYS.getPrivate(), "access", challenge.path("gateway").asText(),
                SessionId.hashOf(id), c);
        HttpResponse<String> signOut = postWithProof("/api/v1/sign-out", "", id, c, forAccess);
        assertThat(signOut.statusCode()).isEqualTo(401);
        assertThat(json(signOut).path("message").asText()).contains("signature does not match");
        assertThat(post("/api/v1/access", "", id).statusCode()).as("still signed in").isEqualTo(200);
    }

    /** POSTs with the session's id and the given proof headers, as a client that makes its own would. */
    static HttpResponse<String> postWithProof(String path, String body, String session, String challenge, String signature)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Authorization", "Session " + session)
                .header(GatewayServer.CHALLENGE_HEADER, challenge).header(GatewayServer.SIGNATURE_HEADER, signature).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCopiedSessionIdWithoutTheAgentsKeyGetsNothing() throws Exception {
        String id = json(post("/api/v1/sign-in", signIn("secret"), null)).path("sessionId").asText();
        java.security.PrivateKey thief = ProofOfPossession.newKeyPair().getPrivate();
        for (String path : List.of("/api/v1/access", "/api/v1/heartbeat", "/api/v1/sign-out")) {
            HttpResponse<String> bare = post(path, "", id, null);
            assertThat(bare.statusCode()).as(path + " without proof").isEqualTo(401);
            assertThat(json(bare).path("message").asText()).contains("proof of possession required");
            HttpResponse<String> forged = post(path, "", id, thief);
            assertThat(forged.statusCode()).as(path + " signed by another key").isEqualTo(401);
            assertThat(json(forged).path("message").asText()).contains("signature does not match");
        }
        assertThat(post("/api/v1/access", "", id).statusCode()).as("the agent itself").isEqualTo(200);
    }

    @Test
    void wrongPasswordIs401() throws Exception {
        HttpResponse<String> r = post("/api/v1/sign-in", signIn("nope"), null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("code").asText()).isEqualTo("AUTHENTICATION_FAILED");
    }

    @Test
    void healthNamesTheGateway() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json(r).path("gateway").asText()).isEqualTo("gw-http");
    }
}
