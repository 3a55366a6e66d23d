package dev.baton.sso;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.openid.connect.sdk.Nonce;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;

/**
 * What lives between the requests of one authorization: an authorization request waiting for its sign-in
 * (a <em>flow</em>, 10 minutes) and an issued authorization code (60 seconds, single use). Both are bounded
 * in number, keyed by 256 random bits, and kept in this node's memory only: a code must be redeemed at the node
 * that issued it (sticky sessions behind a balancer), and a restart drops pending sign-ins, not sessions.
 */
final class Grants {
    /** Pending sign-ins kept at most; beyond it the oldest are dropped. */
    static final long MAX_FLOWS = 200_000;
    /** Unredeemed codes kept at most. */
    static final long MAX_CODES = 200_000;
    static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One authorization request as validated.
     *
     * @param client        the relying party
     * @param redirectUri   where the answer goes (registered)
     * @param state         the client's state, echoed
     * @param nonce         the client's nonce, put in the ID token
     * @param scope         the scopes granted (those asked that the client may have)
     * @param challenge     the PKCE challenge (S256), or null
     * @param forceSignIn   {@code prompt=login}
     * @param noPrompt      {@code prompt=none}
     * @param maxAge        {@code max_age} in seconds, or -1
     * @param browserBinding the hash of the flow cookie that must come back with the sign-in form
     */
    record Ask(RelyingParty client, URI redirectUri, State state, Nonce nonce, Scope scope, CodeChallenge challenge,
               boolean forceSignIn, boolean noPrompt, long maxAge, String browserBinding) {
        Ask withBinding(String binding) {
            return new Ask(client, redirectUri, state, nonce, scope, challenge, forceSignIn, noPrompt, maxAge, binding);
        }
    }

    /**
     * An issued code: what the token endpoint checks and puts in the tokens.
     *
     * @param ask         the authorization request it answers
     * @param sessionHash the authentication session (its hash, also the tokens' {@code sid})
     * @param user        the user
     * @param authTime    when the user signed in
     * @param amr         how
     */
    record Code(Ask ask, String sessionHash, String user, Instant authTime, String amr) {
    }

    private final Cache<String, Ask> flows;
    private final Cache<String, Code> codes;

    Grants(InstantSource clock) {
        Ticker ticker = () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
        this.flows = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_FLOWS).expireAfterWrite(FLOW_LIFETIME).build();
        this.codes = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_CODES).expireAfterWrite(CODE_LIFETIME).build();
    }

    /** Keeps a request until its sign-in; returns the flow id the sign-in form carries. */
    String pending(Ask ask) {
        String id = random();
        flows.put(id, ask);
        return id;
    }

    /** The pending request of that flow, still pending. */
    Optional<Ask> flow(String id) {
        return id == null || id.length() > 64 ? Optional.empty() : Optional.ofNullable(flows.getIfPresent(id));
    }

    /** Forgets a flow (signed in). */
    void finish(String id) {
        flows.invalidate(id);
    }

    /** Issues a code. */
    String issue(Code code) {
        String id = random();
        codes.put(id, code);
        return id;
    }

    /** Takes a code: the first call gets it, every later call nothing. */
    Optional<Code> redeem(String code) {
        return code == null || code.length() > 64 ? Optional.empty() : Optional.ofNullable(codes.asMap().remove(code));
    }

    /** 256 random bits, base64url. */
    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
