package dev.baton.bench.sso;

import dev.baton.bench.Results;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cost of a stored password hash as a provider reports it, so that the benchmark states the cost each side
 * actually paid per sign-in instead of assuming it. Immutable.
 *
 * @param algorithm   {@code argon2id}, or the provider's name for what it used
 * @param memoryKib   memory, KiB
 * @param iterations  passes
 * @param parallelism lanes
 */
record PasswordHashCost(String algorithm, int memoryKib, int iterations, int parallelism) {
    private static final Pattern PHC = Pattern.compile("\\$(argon2id)\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$");

    /** From a PHC string ({@code $argon2id$v=19$m=7168,t=5,p=1$...}), as Baton's local accounts keep them. */
    static PasswordHashCost ofPhc(String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.find()) {
            throw new IllegalArgumentException("not an Argon2id PHC hash");
        }
        return new PasswordHashCost(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)));
    }

    /**
     * From a Keycloak password credential's {@code credentialData} (admin API, quotes unescaped):
     * {@code {"hashIterations":5,"algorithm":"argon2","additionalParameters":{"memory":["7168"],"type":["id"],...}}}.
     */
    static PasswordHashCost ofKeycloakCredential(String json) {
        String algorithm = text(json, "\"algorithm\"\\s*:\\s*\"([^\"]+)\"");
        String type = text(json, "\"type\"\\s*:\\s*\\[\\s*\"([^\"]+)\"");
        return new PasswordHashCost(algorithm.equals("argon2") && type.equals("id") ? "argon2id" : algorithm + "-" + type,
                Integer.parseInt(text(json, "\"memory\"\\s*:\\s*\\[\\s*\"(\\d+)\"")),
                Integer.parseInt(text(json, "\"hashIterations\"\\s*:\\s*(\\d+)")),
                Integer.parseInt(text(json, "\"parallelism\"\\s*:\\s*\\[\\s*\"(\\d+)\"")));
    }

    /** Writes {@code hash.SIDE.memory_kib}, {@code .iterations}, {@code .parallelism} and a note naming the algorithm. */
    void report(String side, Results results) {
        results.note(side + ": password hash " + this);
        results.figure("hash." + side + ".memory_kib", memoryKib);
        results.figure("hash." + side + ".iterations", iterations);
        results.figure("hash." + side + ".parallelism", parallelism);
    }

    @Override
    public String toString() {
        return algorithm + " m=" + memoryKib + " KiB, t=" + iterations + ", p=" + parallelism;
    }

    private static String text(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + regex + " in the credential data: " + json);
        }
        return m.group(1);
    }
}
