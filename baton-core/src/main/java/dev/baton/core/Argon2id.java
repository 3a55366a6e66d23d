package dev.baton.core;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string form ({@code $argon2id$v=19$m=65536,t=3,p=1$salt$hash}) that
 * configuration files keep: local accounts of a gateway and operators of an admin listener. BouncyCastle
 * computes the hash; comparison is constant-time. The default cost is RFC 9106's second recommended option
 * (64 MiB, 3 passes). Pure functions; thread-safe.
 */
public final class Argon2id {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final Pattern PHC =
            Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=1\\$[A-Za-z0-9+/]{11,64}\\$[A-Za-z0-9+/]{11,128}");
    /** Memory in KiB of the default cost. */
    public static final int DEFAULT_MEMORY_KIB = 65_536;
    /** Passes of the default cost. */
    public static final int DEFAULT_ITERATIONS = 3;

    private Argon2id() {
    }

    /** Whether {@code phc} is a hash this class can verify (form and cost within sane bounds). */
    public static boolean isHash(String phc) {
        if (phc == null) {
            return false;
        }
        var m = PHC.matcher(phc);
        return m.matches() && Integer.parseInt(m.group(1)) >= 8 && Integer.parseInt(m.group(2)) >= 1;
    }

    /** Hashes {@code password} with a random 16-byte salt at the given cost, in PHC form. */
    public static String hash(char[] password, int memoryKib, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(compute(password, salt, memoryKib, iterations));
    }

    /**
     * Whether {@code password} matches {@code phc}, which must satisfy {@link #isHash}.
     *
     * @throws IllegalArgumentException if {@code phc} is not such a hash
     */
    public static boolean verify(String phc, char[] password) {
        if (!isHash(phc)) {
            throw new IllegalArgumentException("not an Argon2id PHC hash");
        }
        String[] parts = phc.split("\\$");
        String[] params = parts[3].split(",");
        int m = Integer.parseInt(params[0].substring(2));
        int t = Integer.parseInt(params[1].substring(2));
        byte[] expected = B64D.decode(parts[5]);
        return MessageDigest.isEqual(expected, compute(password, B64D.decode(parts[4]), m, t));
    }

    /**
     * Spends what one verification at the given cost spends, for a user that does not exist, so that the
     * answer's timing does not tell whether a name is known.
     */
    public static void burn(char[] password, int memoryKib, int iterations) {
        compute(password, new byte[16], memoryKib, iterations);
    }

    private static byte[] compute(char[] password, byte[] salt, int memoryKib, int iterations) {
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(1).build());
        byte[] out = new byte[32];
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = Arrays.copyOf(utf8.array(), utf8.limit());
        Arrays.fill(utf8.array(), (byte) 0);
        try {
            gen.generateBytes(bytes, out);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        return out;
    }
}
