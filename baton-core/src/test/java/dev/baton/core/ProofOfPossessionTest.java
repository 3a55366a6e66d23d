package dev.baton.core;

import java.security.KeyPair;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProofOfPossessionTest {
    private static final SessionIdHash HASH = SessionId.generate().hash();
    private static final String CHALLENGE = "fresh-challenge-1";

    private final KeyPair agent = ProofOfPossession.newKeyPair();
    private final String publicKey = ProofOfPossession.encode(agent.getPublic());

    @Test
    void agentsMakeEd25519KeysInStandardEncodings() {
        assertThat(agent.getPublic().getAlgorithm()).isIn("Ed25519", "EdDSA");
        assertThat(ProofOfPossession.publicKey(publicKey).getEncoded()).isEqualTo(agent.getPublic().getEncoded());
        String privateKey = ProofOfPossession.encode(agent.getPrivate());
        assertThat(ProofOfPossession.privateKey(privateKey).getEncoded()).isEqualTo(agent.getPrivate().getEncoded());
    }

    @Test
    void aSignatureOverTheChallengeProvesPossession() {
        String signature = ProofOfPossession.sign(agent.getPrivate(), "gw-b", HASH, CHALLENGE);

        assertThat(ProofOfPossession.verify(publicKey, "gw-b", HASH, CHALLENGE, signature)).isTrue();
    }

    @Test
    void theSignatureIsBoundToGatewaySessionAndChallenge() {
        String signature = ProofOfPossession.sign(agent.getPrivate(), "gw-b", HASH, CHALLENGE);

        assertThat(ProofOfPossession.verify(publicKey, "gw-a", HASH, CHALLENGE, signature)).as("other gateway").isFalse();
        assertThat(ProofOfPossession.verify(publicKey, "gw-b", SessionId.generate().hash(), CHALLENGE, signature))
                .as("other session").isFalse();
        assertThat(ProofOfPossession.verify(publicKey, "gw-b", HASH, "fresh-challenge-2", signature)).as("other challenge").isFalse();
    }

    @Test
    void anotherKeyProvesNothing() {
        KeyPair thief = ProofOfPossession.newKeyPair();
        String signature = ProofOfPossession.sign(thief.getPrivate(), "gw-b", HASH, CHALLENGE);

        assertThat(ProofOfPossession.verify(publicKey, "gw-b", HASH, CHALLENGE, signature)).isFalse();
    }

    @Test
    void p256KeysOfEarlierAgentsAreStillAccepted() {
        KeyPair old = ProofOfPossession.newP256KeyPair();
        String oldPublic = ProofOfPossession.encode(old.getPublic());
        {
            var restored = ProofOfPossession.privateKey(ProofOfPossession.encode(old.getPrivate()));
            String signature = ProofOfPossession.sign(restored, "gw-b", HASH, CHALLENGE);
            assertThat(ProofOfPossession.verify(oldPublic, "gw-b", HASH, CHALLENGE, signature)).isTrue();
            assertThat(ProofOfPossession.verify(oldPublic, "gw-b", HASH, "other", signature)).isFalse();
        }
        String edSignature = ProofOfPossession.sign(agent.getPrivate(), "gw-b", HASH, CHALLENGE);
        assertThat(ProofOfPossession.verify(oldPublic, "gw-b", HASH, CHALLENGE, edSignature)).as("Ed25519 signature, EC key").isFalse();
    }

    @Test
    void malformedKeysAndSignaturesProveNothingAndThrowNothing() {
        String signature = ProofOfPossession.sign(agent.getPrivate(), "gw-b", HASH, CHALLENGE);
        byte[] tampered = Base64.getDecoder().decode(signature);
        tampered[10] ^= 1;

        assertThat(ProofOfPossession.verify(publicKey, "gw-b", HASH, CHALLENGE, Base64.getEncoder().encodeToString(tampered))).isFalse();
        assertThat(ProofOfPossession.verify(publicKey, "gw-b", HASH, CHALLENGE, "not base64!")).isFalse();
        assertThat(ProofOfPossession.verify("bm90IGEga2V5", "gw-b", HASH, CHALLENGE, signature)).isFalse();
        assertThat(ProofOfPossession.verify(null, "gw-b", HASH, CHALLENGE, signature)).isFalse();
        assertThat(ProofOfPossession.verify(publicKey, "gw-b", HASH, CHALLENGE, null)).isFalse();
    }

    @Test
    void undecodableKeysGetAClearError() {
        assertThatThrownBy(() -> ProofOfPossession.publicKey("bm90IGEga2V5"))
                .isInstanceOf(BatonException.class).hasMessageContaining("agent key is not a base64 X.509");
        assertThatThrownBy(() -> ProofOfPossession.privateKey("%%%"))
                .isInstanceOf(BatonException.class).hasMessageContaining("private key is not base64");
    }

    @Property(tries = 40)
    void onlyTheSignedChallengeVerifies(@ForAll @AlphaChars @StringLength(min = 1, max = 64) String challenge,
                                        @ForAll @AlphaChars @StringLength(min = 1, max = 64) String other) {
        String signature = ProofOfPossession.sign(agent.getPrivate(), "gw", HASH, challenge);

        assertThat(ProofOfPossession.verify(publicKey, "gw", HASH, challenge, signature)).isTrue();
        assertThat(ProofOfPossession.verify(publicKey, "gw", HASH, other, signature)).isEqualTo(other.equals(challenge));
    }
}
