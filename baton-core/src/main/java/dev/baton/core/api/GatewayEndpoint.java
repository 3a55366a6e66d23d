package dev.baton.core.api;

import java.util.Map;

/**
 * What an endpoint agent can ask of a gateway. The gateway implements it in-process; the agent reaches a
 * remote gateway through an implementation that speaks the gateway's HTTP API. Every method fails with
 * {@link dev.baton.core.BatonException} carrying a result code and a readable reason.
 *
 * <p>Implementations are thread-safe.
 */
public interface GatewayEndpoint {

    /** The gateway's name. */
    String name();

    /** Signs a user in with credentials; returns the new session id, which only this agent will ever hold. */
    SignInResult signIn(SignInRequest request);

    /**
     * A fresh single-use challenge for proof of possession, valid for a short time (one minute by default).
     * The agent signs it with the key its session was bound to and sends it with {@link #connect}.
     */
    Challenge challenge();

    /**
     * Connects with an existing session id: resumes it if this gateway holds it (F10), otherwise migrates it
     * here from the gateway that holds it, without credentials (F3). Either way the agent must prove it holds
     * the session's private key.
     */
    AccessResult connect(ConnectRequest request);

    /** Operation names of the per-request proofs ({@link SessionProof}). */
    String ACCESS = "access";
    /** See {@link #ACCESS}. */
    String HEARTBEAT = "heartbeat";
    /** See {@link #ACCESS}. */
    String SIGN_OUT = "sign-out";

    /**
     * Says whether the session is valid here now and which roles it has. Counts as user activity. The proof is
     * for operation {@value #ACCESS}.
     */
    AccessResult access(SessionProof proof);

    /**
     * Records an agent heartbeat (F10) with the endpoint's current posture, which Host Checker evaluates
     * again (F8): roles whose policies now fail are dropped, or the session falls back to the remediation role.
     * The proof is for operation {@value #HEARTBEAT}.
     */
    AccessResult heartbeat(SessionProof proof, Map<String, String> posture);

    /** Ends the session here and in the federation. The proof is for operation {@value #SIGN_OUT}. */
    void signOut(SessionProof proof);
}
