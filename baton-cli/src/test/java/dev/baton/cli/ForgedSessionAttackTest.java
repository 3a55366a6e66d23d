package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentTls;
import dev.baton.core.BatonException;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.core.api.ConnectRequest;
import dev.baton.ifmap.SessionMapping;
import dev.baton.ifmap.client.IfmapClient;
import dev.baton.ifmap.client.Publish;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Xml;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack 1 of issue 14: an IF-MAP client with federation credentials mints a session for any user, or kills one,
 * by publishing Baton's session metadata. Real federation server, real gateways over HTTPS; each test fails if
 * the attack succeeds.
 */
class ForgedSessionAttackTest {
    private static final String BATON = " xmlns:baton=\"" + Xml.BATON_NS + "\"";

    @TempDir
    Path dir;

    private static IfmapClient client(AttackRig rig, String user) {
        IfmapClient c = new IfmapClient(URI.create(rig.federation.url()), user, AttackRig.FEDERATION_USERS.get(user),
                AgentTls.trustAll(), Duration.ofSeconds(10), Duration.ofSeconds(10));
        c.newSession(0);
        return c;
    }

    private static String session(String user, String agentKey) {
        return "<baton:session" + BATON + " ifmap-cardinality=\"singleValue\"><user>" + user + "</user><realm>users</realm>"
                + "<auth-group>corp</auth-group><auth-server-kind>LOCAL</auth-server-kind>"
                + "<start-time>2026-12-01T00:00:00Z</start-time><last-activity>2026-12-01T00:00:00Z</last-activity>"
                + "<remediation>false</remediation><agent-key>" + agentKey + "</agent-key></baton:session>";
    }

    private static String owner(String gateway, long generation) {
        return "<baton:session-owner" + BATON + " ifmap-cardinality=\"singleValue\" generation=\"" + generation
                + "\" expected-generation=\"" + (generation - 1) + "\" gateway=\"" + gateway + "\"/>";
    }

    private static void refused(Runnable publish) {
        assertThatThrownBy(publish::run).isInstanceOfSatisfying(IfmapException.class,
                e -> assertThat(e.error().name()).isEqualTo("AccessDenied"));
    }

    @Test
    void aPublisherThatIsNoGatewayCannotMintASessionForAnyUser() {
        try (AttackRig rig = new AttackRig(dir)) {
            GatewayNode a = rig.gateway("gw-a");
            SessionId forged = SessionId.generate();
            KeyPair mine = ProofOfPossession.newKeyPair();
            Item ar = Item.of(SessionMapping.accessRequest(forged.hash()));
            try (IfmapClient sensor = client(rig, "sensor")) {
                for (String claimed : new String[] {"gw-b", "sensor"}) {
                    refused(() -> sensor.publish(new Publish().update(ar, true,
                            session("victim", ProofOfPossession.encode(mine.getPublic())), owner(claimed, 1))));
                }
            }
            String challenge = AttackRig.endpoint(a).challenge().value();
            assertThatThrownBy(() -> AttackRig.endpoint(a).connect(new ConnectRequest(forged.reveal(), java.util.Map.of(),
                    challenge, ProofOfPossession.sign(mine.getPrivate(), "gw-a", forged.hash(), challenge))))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.UNKNOWN_SESSION));
            assertThat(a.gateway().sessionCount()).isZero();
        }
    }

    @Test
    void aGatewayCannotPublishASessionInAnotherGatewaysName() {
        try (AttackRig rig = new AttackRig(dir); IfmapClient rogueB = client(rig, "gw-b")) {
            GatewayNode a = rig.gateway("gw-a");
            SessionId forged = SessionId.generate();
            KeyPair mine = ProofOfPossession.newKeyPair();
            Item ar = Item.of(SessionMapping.accessRequest(forged.hash()));
            refused(() -> rogueB.publish(new Publish().update(ar, true,
                    session("victim", ProofOfPossession.encode(mine.getPublic())), owner("gw-a", 1))));
            String challenge = AttackRig.endpoint(a).challenge().value();
            assertThatThrownBy(() -> AttackRig.endpoint(a).connect(new ConnectRequest(forged.reveal(), java.util.Map.of(),
                    challenge, ProofOfPossession.sign(mine.getPrivate(), "gw-a", forged.hash(), challenge))))
                    .isInstanceOf(BatonException.class);
            assertThat(a.gateway().sessionCount()).isZero();
        }
    }

    @Test
    void aNonGatewayCannotClaimOrDeleteARealSessionToSignItsUserOut() throws Exception {
        try (AttackRig rig = new AttackRig(dir); IfmapClient sensor = client(rig, "sensor")) {
            GatewayNode a = rig.gateway("gw-a");
            Agent alice = rig.signedIn(a);
            SessionIdHash hash = SessionId.hashOf(alice.state().sessionId());
            Item ar = Item.of(SessionMapping.accessRequest(hash));
            refused(() -> sensor.publish(new Publish().update(ar, true, owner("sensor", 2))));
            refused(() -> sensor.publish(new Publish().delete(ar, null)));
            refused(() -> sensor.publish(new Publish().delete(Item.link(SessionMapping.accessRequest(hash),
                    SessionMapping.gateway("gw-a")), null)));
            Thread.sleep(200); // had a loss been published, gw-a's poll would have dropped the session by now
            assertThat(alice.access(AttackRig.endpoint(a)).gateway()).isEqualTo("gw-a");
            assertThat(a.gateway().session(hash)).isPresent();
        }
    }
}
