package dev.baton.agent;

import dev.baton.core.BatonException;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.core.ResultCode;
import dev.baton.core.api.AccessResult;
import dev.baton.core.api.Challenge;
import dev.baton.core.api.ConnectRequest;
import dev.baton.core.api.GatewayEndpoint;
import dev.baton.core.api.SessionProof;
import dev.baton.core.api.SignInRequest;
import dev.baton.core.api.SignInResult;

import java.nio.file.Path;
import java.time.Clock;
import java.time.InstantSource;
import java.util.IdentityHashMap;
import java.security.KeyPair;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The endpoint agent: signs the user in once, keeps the session id, and presents it to whichever gateway it
 * connects to next, so the session migrates instead of asking for credentials again. If a state file is
 * given, the session survives a reboot of the endpoint.
 *
 * <p>Not thread-safe: one agent serves one endpoint, driven from one thread.
 */
public final class Agent {
    private final Path stateFile;
    private final Map<String, String> posture;
    private final InstantSource clock;
    /** The name of the gateway each endpoint answered with last, to make challenges for it. */
    private final Map<GatewayEndpoint, String> names = new IdentityHashMap<>();
    private AgentState state;
    private ProofOfPossession.Signer signer; // the state's private key, decoded once; null until needed

    /**
     * @param stateFile where the state is kept across reboots, or {@code null} to keep it in memory only
     * @param posture   the posture facts this endpoint reports to Host Checker
     */
    public Agent(Path stateFile, Map<String, String> posture) {
        this(stateFile, posture, Clock.systemUTC());
    }

    /**
     * @param clock dates the challenges the agent makes itself
     */
    public Agent(Path stateFile, Map<String, String> posture, InstantSource clock) {
        this.stateFile = stateFile;
        this.posture = Map.copyOf(posture);
        this.clock = clock;
        this.state = stateFile == null ? AgentState.EMPTY : AgentState.load(stateFile);
    }

    /** Signs in at {@code gateway} with a password and keeps the new session id. */
    public AccessResult signIn(GatewayEndpoint gateway, String realm, String username, String password) {
        KeyPair keys = ProofOfPossession.newKeyPair();
        String publicKey = ProofOfPossession.encode(keys.getPublic());
        SignInResult result = gateway.signIn(new SignInRequest(realm, username, password, posture, publicKey));
        names.put(gateway, result.access().gateway());
        remember(new AgentState(result.sessionId(), result.access().gateway(), publicKey, ProofOfPossession.encode(keys.getPrivate())));
        return result.access();
    }

    /**
     * Connects to {@code gateway} with the kept session id: resumes there or migrates there (F3, F10), proving
     * with the session's private key that this agent is the one that signed in.
     */
    public AccessResult connect(GatewayEndpoint gateway) {
        String sessionId = requireSession();
        SessionIdHash hash = SessionId.hashOf(sessionId);
        String known = names.get(gateway);
        AccessResult result = null;
        if (known != null) {
            // One round trip: a challenge made here for the gateway this endpoint answered with last time.
            String own = ProofOfPossession.agentChallenge(known, clock.instant());
            try {
                result = gateway.connect(new ConnectRequest(sessionId, posture, own, signer().sign(known, hash, own)));
            } catch (BatonException e) {
                if (e.code() != ResultCode.STALE_CHALLENGE) {
                    throw e;
                }
                // Another gateway answered, or the clocks disagree: ask for a challenge.
            }
        }
        if (result == null) {
            Challenge challenge = gateway.challenge();
            String signature = signer().sign(challenge.gateway(), hash, challenge.value());
            result = gateway.connect(new ConnectRequest(sessionId, posture, challenge.value(), signature));
        }
        names.put(gateway, result.gateway());
        remember(state.on(result.gateway()));
        return result;
    }

    private ProofOfPossession.Signer signer() {
        if (signer == null) {
            signer = ProofOfPossession.signer(ProofOfPossession.privateKey(state.privateKey()));
        }
        return signer;
    }

    /**
     * Keeps the session alive through {@code gateway}, which may be a load balancer in front of several
     * gateways (F11): sends a heartbeat; if the gateway answering no longer holds the session (the balancer
     * moved the agent after its gateway failed) or cannot be reached, connects again, which migrates the
     * session to whichever gateway answers, without credentials. Retries up to {@code attempts} times.
     *
     * @return the session's state after the heartbeat or the reconnection
     */
    public AccessResult keepAlive(GatewayEndpoint gateway, int attempts, java.time.Duration pause) {
        try {
            return proven(gateway, GatewayEndpoint.HEARTBEAT, proof -> gateway.heartbeat(proof, posture));
        } catch (BatonException e) {
            if (e.code() != ResultCode.UNKNOWN_SESSION && e.code() != ResultCode.UNAVAILABLE) {
                throw e;
            }
        }
        BatonException last = null;
        for (int i = 0; i < attempts; i++) {
            try {
                return connect(gateway);
            } catch (BatonException e) {
                boolean retriable = e.code() == ResultCode.UNAVAILABLE || e.code() == ResultCode.STALE_CHALLENGE;
                if (!retriable) {
                    throw e;
                }
                last = e;
                sleep(pause);
            }
        }
        throw last;
    }

    private static void sleep(java.time.Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatonException(ResultCode.UNAVAILABLE, "interrupted while reconnecting", e);
        }
    }

    /** Sends one heartbeat to {@code gateway} with this endpoint's posture; unlike {@link #keepAlive}, never reconnects. */
    public AccessResult heartbeat(GatewayEndpoint gateway) {
        return proven(gateway, GatewayEndpoint.HEARTBEAT, proof -> gateway.heartbeat(proof, posture));
    }

    /** Asks {@code gateway} for the session's state (counts as activity). */
    public AccessResult access(GatewayEndpoint gateway) {
        return proven(gateway, GatewayEndpoint.ACCESS, proof -> gateway.access(proof));
    }

    /** Signs out at {@code gateway} and forgets the session. */
    public void signOut(GatewayEndpoint gateway) {
        proven(gateway, GatewayEndpoint.SIGN_OUT, proof -> {
            gateway.signOut(proof);
            return null;
        });
        remember(AgentState.EMPTY);
    }

    /**
     * Runs {@code request} with a proof for {@code operation}: first with a challenge the agent makes for the
     * gateway this endpoint answered with last (or, after a restart, the one the state file names), which costs no
     * round trip; if the gateway refuses it as stale (another gateway behind a balancer, clocks apart, a gateway
     * that just restarted), once more with a challenge the gateway issues.
     */
    private <T> T proven(GatewayEndpoint gateway, String operation, java.util.function.Function<SessionProof, T> request) {
        String sessionId = requireSession();
        SessionIdHash hash = SessionId.hashOf(sessionId);
        String known = names.getOrDefault(gateway, state.gateway());
        if (known != null) {
            String own = ProofOfPossession.agentChallenge(known, clock.instant());
            try {
                return request.apply(new SessionProof(sessionId, own, signer().sign(operation, known, hash, own)));
            } catch (BatonException e) {
                if (e.code() != ResultCode.STALE_CHALLENGE) {
                    throw e;
                }
            }
        }
        Challenge challenge = gateway.challenge();
        names.put(gateway, challenge.gateway());
        return request.apply(new SessionProof(sessionId, challenge.value(),
                signer().sign(operation, challenge.gateway(), hash, challenge.value())));
    }

    /** The agent's state. */
    public AgentState state() {
        return state;
    }

    /** The gateway the agent was last on. */
    public Optional<String> lastGateway() {
        return Optional.ofNullable(state.gateway());
    }

    private String requireSession() {
        if (!state.signedIn()) {
            throw new BatonException(ResultCode.UNKNOWN_SESSION, "the agent holds no session; sign in first");
        }
        return state.sessionId();
    }

    private void remember(AgentState next) {
        if (!Objects.equals(next.privateKey(), state.privateKey())) {
            signer = null;
        }
        state = Objects.requireNonNull(next);
        if (stateFile != null) {
            state.save(stateFile);
        }
    }
}
