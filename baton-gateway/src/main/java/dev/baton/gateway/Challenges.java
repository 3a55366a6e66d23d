package dev.baton.gateway;

import dev.baton.core.BatonException;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.ResultCode;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Challenges for proof of possession, each accepted once. Two kinds:
 * <ul>
 * <li>issued by this gateway: 256 random bits, valid for a short time;
 * <li>made by the agent ({@link ProofOfPossession#agentChallenge}): accepted if made for this gateway and
 * its timestamp is within {@code skew} of this gateway's clock; its nonce is remembered until the timestamp
 * leaves that window, so a replay is refused. This spares a migration the round trip for a challenge.
 * </ul>
 * Both kinds are refused with {@link ResultCode#STALE_CHALLENGE}, on which an agent asks for an issued one.
 * The numbers outstanding and remembered are bounded so that a flood cannot exhaust memory; expired ones
 * are dropped when a bound is reached, and past it new ones are refused. Thread-safe.
 */
final class Challenges {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Instant> issued = new ConcurrentHashMap<>();
    /** Nonces of agent-made challenges accepted, until their timestamp is out of the window. */
    private final ReplayWindow agentMade;
    private final String gateway;
    private final InstantSource clock;
    private final Duration validity;
    private final Duration skew;
    private final int maxOutstanding;

    /**
     * @param gateway        this gateway's name, which agent-made challenges must carry
     * @param validity       how long an issued challenge stays valid
     * @param skew           how far an agent-made challenge's timestamp may be from this gateway's clock
     * @param maxOutstanding bound on issued challenges outstanding, and on agent-made ones remembered
     */
    Challenges(String gateway, InstantSource clock, Duration validity, Duration skew, int maxOutstanding) {
        this.gateway = gateway;
        this.clock = clock;
        this.validity = validity;
        this.skew = skew;
        this.maxOutstanding = maxOutstanding;
        this.agentMade = new ReplayWindow(skew, maxOutstanding);
    }

    /** A new challenge. */
    String issue() {
        if (issued.size() >= maxOutstanding) {
            dropExpired(issued);
            if (issued.size() >= maxOutstanding) {
                throw new BatonException(ResultCode.UNAVAILABLE, "too many outstanding challenges; try again shortly");
            }
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        issued.put(challenge, clock.instant().plus(validity));
        return challenge;
    }

    /**
     * Accepts a challenge once.
     *
     * @throws BatonException {@link ResultCode#STALE_CHALLENGE} if it was never issued, was used, or expired
     */
    void consume(String challenge) {
        if (ProofOfPossession.isAgentChallenge(challenge)) {
            consumeAgentMade(challenge);
            return;
        }
        Instant expiry = challenge == null ? null : issued.remove(challenge);
        if (expiry == null) {
            throw new BatonException(ResultCode.STALE_CHALLENGE, "proof of possession failed: unknown or already used challenge");
        }
        if (!clock.instant().isBefore(expiry)) {
            throw new BatonException(ResultCode.STALE_CHALLENGE, "proof of possession failed: challenge expired");
        }
    }

    private void consumeAgentMade(String challenge) {
        ProofOfPossession.AgentChallenge c = ProofOfPossession.parseAgentChallenge(challenge).orElseThrow(() ->
                new BatonException(ResultCode.STALE_CHALLENGE, "proof of possession failed: malformed agent-made challenge"));
        if (!c.gateway().equals(gateway)) {
            throw new BatonException(ResultCode.STALE_CHALLENGE, "proof of possession failed: the agent-made challenge is for gateway '"
                    + c.gateway() + "', this is " + gateway + "; ask this gateway for a challenge");
        }
        Instant now = clock.instant();
        if (c.madeAt().isBefore(now.minus(skew)) || c.madeAt().isAfter(now.plus(skew))) {
            throw new BatonException(ResultCode.STALE_CHALLENGE, "proof of possession failed: the agent-made challenge is dated "
                    + c.madeAt() + ", more than " + skew.toSeconds() + " s from this gateway's clock (" + now
                    + "); ask this gateway for a challenge");
        }
        switch (agentMade.firstUse(c.madeAt(), c.nonceHigh(), c.nonceLow(), now)) {
            case FIRST_USE -> { }
            case REPLAY -> throw new BatonException(ResultCode.STALE_CHALLENGE,
                    "proof of possession failed: agent-made challenge already used");
            case FULL -> throw new BatonException(ResultCode.STALE_CHALLENGE,
                    "too many agent-made challenges to remember; ask this gateway for a challenge");
            case TOO_OLD -> throw new BatonException(ResultCode.STALE_CHALLENGE,
                    "proof of possession failed: this gateway's clock went back since a later agent-made challenge"
                            + " was accepted; ask this gateway for a challenge");
        }
    }

    int outstanding() {
        return issued.size();
    }

    int remembered() {
        return agentMade.remembered();
    }

    private void dropExpired(Map<String, Instant> challenges) {
        Instant now = clock.instant();
        for (Iterator<Instant> it = challenges.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next())) {
                it.remove();
            }
        }
    }
}
