package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.Agent;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.SessionId;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.admission.AdmissionSettings;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proof seen on the wire (or in a log) replayed: refused the second time, at the same gateway, and after that
 * gateway restarted and forgot which nonces it had seen. Fails if a replay is answered 200.
 */
class ReplayedProofAttackTest {
    @TempDir
    Path dir;

    /** The gateways' clock: system time plus what a test adds, to get past a start's guard without sleeping. */
    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);
    private final java.time.InstantSource clock = () -> Clock.systemUTC().instant().plus(ahead.get());

    private static String[] headers(String id, PrivateKey key, String gateway, String challenge) {
        return new String[] {"Authorization", "Session " + id, "Baton-Challenge", challenge, "Baton-Signature",
                ProofOfPossession.sign(key, "access", gateway, SessionId.hashOf(id), challenge)};
    }

    @Test
    void aReplayedProofIsRefusedAtTheGatewayAndAcrossItsRestart() throws Exception {
        try (AttackRig rig = new AttackRig(dir, clock)) {
            GatewayNode a = rig.gateway("gw-a");
            ahead.set(Duration.ofSeconds(31)); // past the guard after gw-a's start
            Agent alice = rig.signedIn(a);
            String id = alice.state().sessionId();
            PrivateKey key = ProofOfPossession.privateKey(alice.state().privateKey());
            HttpClient http = AttackRig.http();

            String[] agentMade = headers(id, key, "gw-a", ProofOfPossession.agentChallenge("gw-a", clock.instant()));
            assertThat(AttackRig.post(http, a, "/api/v1/access", "", agentMade).statusCode()).isEqualTo(200);
            assertThat(AttackRig.post(http, a, "/api/v1/access", "", agentMade).statusCode()).as("replayed").isEqualTo(401);
            String issued = AttackRig.challenge(http, a);
            String[] withIssued = headers(id, key, "gw-a", issued);
            assertThat(AttackRig.post(http, a, "/api/v1/access", "", withIssued).statusCode()).isEqualTo(200);
            assertThat(AttackRig.post(http, a, "/api/v1/access", "", withIssued).statusCode()).as("replayed").isEqualTo(401);

            String[] fresh = headers(id, key, "gw-a", ProofOfPossession.agentChallenge("gw-a", clock.instant()));
            assertThat(AttackRig.post(http, a, "/api/v1/access", "", fresh).statusCode()).isEqualTo(200);
            int port = rig.stop("gw-a");
            GatewayNode again = rig.gateway("gw-a", new LocalAccounts(1024, 1), AdmissionSettings.DEFAULTS, port);
            // The restarted gateway remembers no nonce; both proofs used before the restart are still refused.
            assertThat(AttackRig.post(http, again, "/api/v1/access", "", fresh).statusCode()).as("agent-made, replayed after restart")
                    .isEqualTo(401);
            assertThat(AttackRig.post(http, again, "/api/v1/access", "", withIssued).statusCode()).as("issued, replayed after restart")
                    .isEqualTo(401);
            assertThat(alice.access(AttackRig.endpoint(again)).gateway()).as("the agent itself carries on").isEqualTo("gw-a");
        }
    }
}
