package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.Agent;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.SessionId;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.admission.AdmissionSettings;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack 2 of issue 14: a copied session id used as a bearer token. Over HTTPS, on every endpoint that uses a
 * session, with no proof, and with a proof signed by the thief's own key; also a resume after a gateway restart.
 * Each test fails if the thief gets an answer other than a refusal.
 */
class CopiedSessionIdAttackTest {
    @TempDir
    Path dir;

    /** What a thief with the id (but not the key) gets: the status of each try. */
    private static void assertRefused(HttpClient http, GatewayNode node, String id) throws Exception {
        assertRefused(http, node, id, 401);
    }

    /** As above; {@code signedStatus} is what a signed request answers (404 where the gateway does not hold it). */
    private static void assertRefused(HttpClient http, GatewayNode node, String id, int signedStatus) throws Exception {
        PrivateKey thief = ProofOfPossession.newKeyPair().getPrivate();
        for (String op : List.of("access", "heartbeat", "sign-out")) {
            HttpResponse<String> bare = AttackRig.post(http, node, "/api/v1/" + op, "", "Authorization", "Session " + id);
            assertThat(bare.statusCode()).as(op + " with the bare id").isEqualTo(401);
            String challenge = AttackRig.challenge(http, node);
            HttpResponse<String> signed = AttackRig.post(http, node, "/api/v1/" + op, "", "Authorization", "Session " + id,
                    "Baton-Challenge", challenge, "Baton-Signature",
                    ProofOfPossession.sign(thief, op, node.gateway().name(), SessionId.hashOf(id), challenge));
            assertThat(signed.statusCode()).as(op + " signed with another key").isEqualTo(signedStatus);
        }
        String challenge = AttackRig.challenge(http, node);
        HttpResponse<String> connect = AttackRig.post(http, node, "/api/v1/connect", "{\"sessionId\":\"" + id
                + "\",\"challenge\":\"" + challenge + "\",\"signature\":\""
                + ProofOfPossession.sign(thief, node.gateway().name(), SessionId.hashOf(id), challenge) + "\"}");
        assertThat(connect.statusCode()).as("connect signed with another key").isEqualTo(401);
    }

    @Test
    void aCopiedIdGetsNothingOnAnyEndpointOfTheHoldingGatewayOrAnother() throws Exception {
        try (AttackRig rig = new AttackRig(dir)) {
            GatewayNode a = rig.gateway("gw-a");
            GatewayNode b = rig.gateway("gw-b");
            Agent alice = rig.signedIn(a);
            String id = alice.state().sessionId();
            HttpClient http = AttackRig.http();
            assertRefused(http, a, id);
            assertRefused(http, b, id, 404); // b does not hold it; and a migration there with the copied id is refused
            assertThat(alice.access(AttackRig.endpoint(a)).gateway()).as("the session survived the attempts").isEqualTo("gw-a");
        }
    }

    @Test
    void aCopiedIdGetsNothingAfterTheGatewayRestartedEither() throws Exception {
        try (AttackRig rig = new AttackRig(dir)) {
            GatewayNode a = rig.gateway("gw-a");
            Agent alice = rig.signedIn(a);
            String id = alice.state().sessionId();
            int port = rig.stop("gw-a");
            GatewayNode again = rig.gateway("gw-a", new LocalAccounts(1024, 1), AdmissionSettings.DEFAULTS, port);
            assertRefused(AttackRig.http(), again, id);
            assertThat(alice.connect(AttackRig.endpoint(again)).outcome()).as("the agent resumes").isEqualTo("resumed");
        }
    }
}
