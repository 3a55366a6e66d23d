package dev.baton.bench;

import dev.baton.core.ProofOfPossession;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;

import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;

/**
 * A yardstick for the machine a benchmark runs on: the time one thread takes to verify one proof of
 * possession, exactly as a gateway does for every migration ({@link ProofOfPossession#verify}: decode the
 * agent's Ed25519 key, verify the signature over the challenge). It is pure computation, so Baton's own
 * code cannot make it faster or slower between runs; what moves it is the machine (the host's CPU model and
 * clock, its neighbours on a shared host).
 *
 * <p>Why it exists: on the 2-core machine of docs/benchmarks.md, runs of the same build measured anything
 * from 1.0 to 1.7 ms of CPU per migration, with no frame of the profile to blame. Dividing a benchmark's CPU
 * per operation by this figure gives a cost that runs on different days can compare
 * ({@code RESULT migration.cpu_per_migration_in_verifies}).
 *
 * <p>Not thread-safe; measure while nothing else runs in the process.
 */
public final class MachineSpeed {
    private MachineSpeed() {
    }

    /**
     * Microseconds per verification on the calling thread: the median of {@code rounds} rounds of
     * {@code round} each, after five rounds of warm-up.
     *
     * @throws IllegalStateException if a verification fails (the yardstick must measure the real path)
     */
    public static double verifyMicros(int rounds, Duration round) {
        if (rounds < 1 || round.isNegative() || round.isZero()) {
            throw new IllegalArgumentException("need at least one round of positive length, got " + rounds + " x " + round);
        }
        KeyPair keys = ProofOfPossession.newKeyPair();
        String publicKey = ProofOfPossession.encode(keys.getPublic());
        SessionIdHash hash = SessionId.generate().hash();
        String challenge = ProofOfPossession.agentChallenge("yardstick", java.time.Instant.EPOCH);
        String signature = ProofOfPossession.sign(keys.getPrivate(), "yardstick", hash, challenge);
        // Warm-up: let the JIT compile the path (measured at a JVM's start, one round was not enough: 258 us, then
        // 142 us at the end of the same run).
        for (int i = 0; i < 5; i++) {
            measureRound(publicKey, hash, challenge, signature, round);
        }
        double[] micros = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            micros[i] = measureRound(publicKey, hash, challenge, signature, round);
        }
        Arrays.sort(micros);
        return micros[rounds / 2];
    }

    private static double measureRound(String publicKey, SessionIdHash hash, String challenge, String signature, Duration round) {
        long start = System.nanoTime();
        long end = start + round.toNanos();
        long n = 0;
        long now;
        do {
            if (!ProofOfPossession.verify(publicKey, "yardstick", hash, challenge, signature)) {
                throw new IllegalStateException("the yardstick's own signature did not verify");
            }
            n++;
            now = System.nanoTime();
        } while (now < end);
        return (now - start) / 1e3 / n;
    }
}
