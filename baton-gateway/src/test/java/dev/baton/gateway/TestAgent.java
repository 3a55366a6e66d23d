package dev.baton.gateway;

import dev.baton.core.ProofOfPossession;
import dev.baton.core.SessionId;
import dev.baton.core.api.AccessResult;
import dev.baton.core.api.ConnectRequest;
import dev.baton.core.api.GatewayEndpoint;
import dev.baton.core.api.SessionProof;
import dev.baton.core.api.SignInRequest;

import java.security.KeyPair;
import java.util.Map;

/** A minimal agent for gateway tests: a key pair and a session id. */
final class TestAgent {
    final KeyPair keys = ProofOfPossession.newKeyPair();
    String sessionId;

    String signIn(Gateway g, String user, String password) {
        return signIn(g, user, password, Map.of());
    }

    String signIn(Gateway g, String user, String password, Map<String, String> posture) {
        sessionId = g.signIn(new SignInRequest("users", user, password, posture, ProofOfPossession.encode(keys.getPublic()))).sessionId();
        return sessionId;
    }

    /** A proof for {@code operation} at {@code g}, over a challenge {@code g} issues. */
    SessionProof proof(Gateway g, String operation) {
        String challenge = g.challenge().value();
        return new SessionProof(sessionId, challenge,
                ProofOfPossession.sign(keys.getPrivate(), operation, g.name(), SessionId.hashOf(sessionId), challenge));
    }

    AccessResult access(Gateway g) {
        return g.access(proof(g, GatewayEndpoint.ACCESS));
    }

    AccessResult heartbeat(Gateway g, Map<String, String> posture) {
        return g.heartbeat(proof(g, GatewayEndpoint.HEARTBEAT), posture);
    }

    void signOut(Gateway g) {
        g.signOut(proof(g, GatewayEndpoint.SIGN_OUT));
    }

    AccessResult connect(Gateway g) {
        return connect(g, Map.of());
    }

    AccessResult connect(Gateway g, Map<String, String> posture) {
        String challenge = g.challenge().value();
        String signature = ProofOfPossession.sign(keys.getPrivate(), g.name(), SessionId.hashOf(sessionId), challenge);
        return g.connect(new ConnectRequest(sessionId, posture, challenge, signature));
    }
}
