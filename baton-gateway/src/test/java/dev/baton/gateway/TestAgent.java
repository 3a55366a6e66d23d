package dev.baton.gateway;

import dev.baton.core.ProofOfPossession;
import dev.baton.core.SessionId;
import dev.baton.core.api.AccessResult;
import dev.baton.core.api.ConnectRequest;
import dev.baton.core.api.SignInRequest;

import java.security.KeyPair;
import java.util.Map;

/** A minimal agent for gateway tests: a key pair and a session id. */
final class TestAgent {
    final KeyPair keys = ProofOfPossession.newKeyPair();
    String sessionId;

    String signIn(Gateway g, String user, String password) {
        sessionId = g.signIn(new SignInRequest("users", user, password, Map.of(), ProofOfPossession.encode(keys.getPublic()))).sessionId();
        return sessionId;
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
