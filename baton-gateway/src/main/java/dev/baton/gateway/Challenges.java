package dev.baton.gateway;

import dev.baton.core.BatonException;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.ResultCode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Challenges for proof of possession, each accepted once. Two kinds:
 * <ul>
 * <li>issued by this gateway: {@code g.<expiry millis>.<128 random bits>.<MAC>}, stateless: the gateway keeps
 * nothing per challenge issued, only a MAC key made at start, so a flood of challenge requests (the endpoint
 * needs no authentication) fills no table and denies no one;
 * <li>made by the agent ({@link ProofOfPossession#agentChallenge}): accepted if made for this gateway and
 * dated within {@code skew} of this gateway's clock. This spares a request the round trip for a challenge.
 * </ul>
 * A challenge is checked in two steps: {@link #check} (format, MAC, date; costs no state) before the caller
 * verifies the agent's signature, then {@link #consume} after it, which remembers the nonce until the challenge
 * can no longer be accepted, so a replay is refused. Only signed challenges are remembered: nobody without a
 * session's key can fill the replay memory. Nonces are remembered in memory only, so after a restart the
 * gateway refuses agent-made challenges dated before its start plus the skew (a proof seen before the restart
 * cannot be replayed after it), and issued ones die with the MAC key.
 *
 * <p>Both kinds are refused with {@link ResultCode#STALE_CHALLENGE}, on which an agent asks for an issued one.
 * Thread-safe.
 */
final class Challenges {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ISSUED_PREFIX = "g.";
    private static final int MAC_BYTES = 16;

    private final Mac mac;
    /** Nonces of issued challenges accepted, until they expire. */
    private final ReplayWindow issuedUsed;
    /** Nonces of agent-made challenges accepted, until their timestamp is out of the window. */
    private final ReplayWindow agentMade;
    private final String gateway;
    private final InstantSource clock;
    private final Duration validity;
    private final Duration skew;
    /** Agent-made challenges dated before this are refused: nonces remembered before a restart are gone. */
    private final Instant agentMadeNotBefore;

    /**
     * @param gateway        this gateway's name, which agent-made challenges must carry
     * @param validity       how long an issued challenge stays valid
     * @param skew           how far an agent-made challenge's timestamp may be from this gateway's clock
     * @param maxRemembered  bound on nonces remembered, of each kind
     */
    Challenges(String gateway, InstantSource clock, Duration validity, Duration skew, int maxRemembered) {
        this.gateway = gateway;
        this.clock = clock;
        this.validity = validity;
        this.skew = skew;
        this.issuedUsed = new ReplayWindow(validity, maxRemembered);
        this.agentMade = new ReplayWindow(skew, maxRemembered);
        this.agentMadeNotBefore = clock.instant().plus(skew);
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    /** A new challenge, valid for the validity given at construction. */
    String issue() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String body = clock.instant().plus(validity).toEpochMilli() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
        return ISSUED_PREFIX + body + "." + tag(body);
    }

    /**
     * Checks a challenge without remembering it: well formed, made for or by this gateway, not expired. The
     * result is what {@link #consume(Checked)} takes once the signature is verified, so nothing is parsed twice.
     *
     * @throws BatonException {@link ResultCode#STALE_CHALLENGE} naming what is wrong
     */
    Checked check(String challenge) {
        return parse(challenge);
    }

    /**
     * Accepts a challenge once; call it after the signature over it was verified.
     *
     * @throws BatonException {@link ResultCode#STALE_CHALLENGE} if it fails {@link #check} or was used before
     */
    void consume(String challenge) {
        consume(parse(challenge));
    }

    /**
     * Accepts a checked challenge once; call it after the signature over it was verified.
     *
     * @throws BatonException {@link ResultCode#STALE_CHALLENGE} if it was used before
     */
    void consume(Checked checked) {
        Parsed p = (Parsed) checked;
        ReplayWindow window = p.agentMade ? agentMade : issuedUsed;
        switch (window.firstUse(p.madeAt, p.nonceHigh, p.nonceLow, clock.instant())) {
            case FIRST_USE -> { }
            case REPLAY -> throw stale("challenge already used");
            case FULL -> throw stale("too many challenges to remember; ask this gateway for a new one");
            case TOO_OLD -> throw stale("this gateway's clock went back since a later challenge was accepted;"
                    + " ask this gateway for a new one");
        }
    }

    /** A challenge that passed {@link #check}: its kind, date and nonce. */
    sealed interface Checked permits Parsed { }

    private record Parsed(boolean agentMade, Instant madeAt, long nonceHigh, long nonceLow) implements Checked { }

    private Parsed parse(String challenge) {
        if (challenge == null || challenge.isEmpty()) {
            throw stale("no challenge given");
        }
        if (ProofOfPossession.isAgentChallenge(challenge)) {
            return parseAgentMade(challenge);
        }
        if (!challenge.startsWith(ISSUED_PREFIX) || challenge.length() > 128) {
            throw stale("unknown challenge; ask this gateway for one");
        }
        int lastDot = challenge.lastIndexOf('.');
        if (lastDot <= ISSUED_PREFIX.length()) {
            throw stale("unknown challenge; ask this gateway for one");
        }
        String body = challenge.substring(ISSUED_PREFIX.length(), lastDot);
        if (!MessageDigest.isEqual(tag(body).getBytes(StandardCharsets.US_ASCII),
                challenge.substring(lastDot + 1).getBytes(StandardCharsets.US_ASCII))) {
            throw stale("the challenge was not issued by this gateway (or it restarted since); ask it for a new one");
        }
        int dot = body.indexOf('.');
        Instant expiry = Instant.ofEpochMilli(Long.parseLong(body.substring(0, dot))); // MAC-checked: well formed
        if (!clock.instant().isBefore(expiry)) {
            throw stale("challenge expired");
        }
        ByteBuffer nonce = ByteBuffer.wrap(Base64.getUrlDecoder().decode(body.substring(dot + 1)));
        return new Parsed(false, expiry.minus(validity), nonce.getLong(), nonce.getLong());
    }

    private Parsed parseAgentMade(String challenge) {
        ProofOfPossession.AgentChallenge c = ProofOfPossession.parseAgentChallenge(challenge)
                .orElseThrow(() -> stale("malformed agent-made challenge"));
        if (!c.gateway().equals(gateway)) {
            throw stale("the agent-made challenge is for gateway '" + c.gateway() + "', this is " + gateway
                    + "; ask this gateway for a challenge");
        }
        Instant now = clock.instant();
        if (c.madeAt().isBefore(now.minus(skew)) || c.madeAt().isAfter(now.plus(skew))) {
            throw stale("the agent-made challenge is dated " + c.madeAt() + ", more than " + skew.toSeconds()
                    + " s from this gateway's clock (" + now + "); ask this gateway for a challenge");
        }
        if (!c.madeAt().isAfter(agentMadeNotBefore)) {
            throw stale("the agent-made challenge is dated before this gateway started (plus " + skew.toSeconds()
                    + " s); ask this gateway for a challenge");
        }
        return new Parsed(true, c.madeAt(), c.nonceHigh(), c.nonceLow());
    }

    private String tag(String body) {
        Mac m;
        try {
            m = (Mac) mac.clone(); // a Mac is not thread-safe; a clone of the keyed one skips the key schedule
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 is cloneable in every JDK provider", e);
        }
        byte[] full = m.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, MAC_BYTES));
    }

    int remembered() {
        return issuedUsed.remembered() + agentMade.remembered();
    }

    private static BatonException stale(String why) {
        return new BatonException(ResultCode.STALE_CHALLENGE, "proof of possession failed: " + why
                + "; ask the gateway for a new challenge and sign it (the agent does this by itself)");
    }

    /**
     * The agent must sign a challenge for {@code operation} with the key {@code s} was bound to at sign-in. The
     * signature is verified before the challenge is remembered as used, so only a key holder can use up memory.
     */
    void requireProof(dev.baton.core.Session s, String operation, String challenge, Checked checked, String signature) {
        if (s.agentKey() == null) {
            throw new BatonException(ResultCode.AUTHENTICATION_FAILED,
                    "session is not bound to an agent key, so it cannot be used with proof of possession; sign in again",
                    s.hash(), gateway, null);
        }
        if (!ProofOfPossession.verify(s.agentKey(), operation, gateway, s.hash(), challenge, signature)) {
            throw new BatonException(ResultCode.AUTHENTICATION_FAILED,
                    "proof of possession failed: the signature does not match the key the session was bound to at sign-in, so this"
                            + " agent is not the one that signed in (or its state file was replaced); sign in again from this agent",
                    s.hash(), gateway, null);
        }
        consume(checked);
    }
}
