package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.Agent;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.SessionId;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unauthenticated challenge endpoint used to deny service: thousands of challenges fetched and never used
 * (which filled a bounded table before, after which every honest resume and migration was refused), and connects
 * with made-up ids and signatures over fresh challenges. Honest migrations must all still succeed.
 */
class ChallengeFloodAttackTest {
    @TempDir
    Path dir;

    @Test
    void aChallengeFloodLeavesHonestMigrationsUntouched() throws Exception {
        try (AttackRig rig = new AttackRig(dir)) {
            GatewayNode a = rig.gateway("gw-a");
            GatewayNode b = rig.gateway("gw-b");
            HttpClient http = AttackRig.http();
            List<java.util.concurrent.Future<Integer>> flood = new ArrayList<>();
            try (java.util.concurrent.ExecutorService attackers = java.util.concurrent.Executors.newFixedThreadPool(32)) {
                for (int i = 0; i < 3_000; i++) {
                    boolean connect = i % 3 == 0;
                    flood.add(attackers.submit(() -> {
                        if (!connect) {
                            return AttackRig.post(http, b, "/api/v1/challenge", "").statusCode();
                        }
                        String own = AttackRig.challenge(http, b);
                        return AttackRig.post(http, b, "/api/v1/connect", "{\"sessionId\":\"" + SessionId.generate().reveal()
                                + "\",\"challenge\":\"" + own + "\",\"signature\":\"AAAA\"}").statusCode();
                    }));
                }
                for (java.util.concurrent.Future<Integer> f : flood) {
                    assertThat(f.get()).isIn(200, 401, 404);
                }
            }

            HttpGatewayEndpoint atA = AttackRig.endpoint(a);
            HttpGatewayEndpoint atB = AttackRig.endpoint(b);
            int migrated = 0;
            for (int i = 0; i < 20; i++) {
                Agent agent = rig.signedIn(a);
                if (agent.connect(atB).outcome().equals("migrated") && agent.connect(atA).outcome().equals("migrated")) {
                    migrated++;
                }
            }
            assertThat(migrated).isEqualTo(20);
        }
    }
}
