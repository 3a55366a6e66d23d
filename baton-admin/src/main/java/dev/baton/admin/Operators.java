package dev.baton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.baton.core.Argon2id;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * The operators of an admin listener, from a YAML file of their own (never the users of the agent API):
 *
 * <pre>
 * operators:
 *   ops:
 *     role: admin
 *     password-hash: "$argon2id$v=19$m=65536,t=3,p=1$..."   # baton hash-password
 *   monitor:
 *     role: auditor
 *     certificate-cn: monitor                               # a client certificate the listener trusts
 * client-ca: operator-ca.p12   # optional: PKCS#12 trust store (no password) of the CAs of those certificates
 * </pre>
 *
 * <p>The file holds password hashes, so it must not be readable by other users. Checking a password costs
 * one Argon2id computation (64 MiB by default); at most {@value #CONCURRENT_CHECKS} run at once, so a flood
 * of wrong passwords cannot take the listener's memory. An unknown name costs the same as a known one.
 * Thread-safe.
 */
public final class Operators {
    /** Argon2id checks running at once, at most. */
    static final int CONCURRENT_CHECKS = 2;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Set<String> KEYS = Set.of("role", "password-hash", "certificate-cn");

    private record Entry(Operator operator, String passwordHash, String certificateCn) {
    }

    private final Map<String, Entry> byName;
    private final KeyStore clientCa;
    private final Map<String, Operator> byCertificate = new LinkedHashMap<>();
    private final Semaphore checks = new Semaphore(CONCURRENT_CHECKS);

    private Operators(Map<String, Entry> byName, KeyStore clientCa) {
        this.byName = Map.copyOf(byName);
        this.clientCa = clientCa;
        byName.values().stream().filter(e -> e.certificateCn != null)
                .forEach(e -> byCertificate.put(e.certificateCn, e.operator));
    }

    /**
     * Reads an operators file.
     *
     * @throws BatonException {@link ResultCode#CONFIGURATION} naming the file and the key that is wrong
     */
    public static Operators read(Path file) {
        checkOwnerOnly(file);
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw invalid(file, "cannot be read as YAML: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("operators").isObject()
                || root.size() != (root.has("client-ca") ? 2 : 1)) {
            throw invalid(file, "must hold 'operators', a map from operator name to its settings, and optionally 'client-ca'");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("operators").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            entries.put(e.getKey(), entry(file, e.getKey(), e.getValue()));
        }
        if (entries.isEmpty()) {
            throw invalid(file, "operators: names no operator");
        }
        return new Operators(entries, root.has("client-ca") ? trustStore(file, root.get("client-ca").asText()) : null);
    }

    /** The PKCS#12 trust store {@code name} (relative to the operators file's folder), without a password. */
    private static KeyStore trustStore(Path file, String name) {
        Path ca = file.toAbsolutePath().getParent().resolve(name);
        try (var in = Files.newInputStream(ca)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, new char[0]);
            if (ks.size() == 0) {
                throw invalid(file, "client-ca: " + ca + " holds no certificate");
            }
            return ks;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw invalid(file, "client-ca: cannot read " + ca + " as a PKCS#12 trust store without a password: " + e.getMessage());
        }
    }

    /** Operators given in code, for tests and embedded use: name to role and password hash. */
    public static Operators of(Map<String, Operator> operators, Map<String, String> passwordHashes) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        operators.forEach((name, op) -> entries.put(name, new Entry(op, passwordHashes.get(name), null)));
        return new Operators(entries, null);
    }

    private static Entry entry(Path file, String name, JsonNode node) {
        String at = "operators." + name;
        if (!NAME.matcher(name).matches()) {
            throw invalid(file, at + ": an operator name is 1 to 64 letters, digits or . _ @ -");
        }
        if (!node.isObject()) {
            throw invalid(file, at + ": must be a map with role and password-hash or certificate-cn");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                throw invalid(file, at + "." + k + ": unknown key (known: role, password-hash, certificate-cn)");
            }
        });
        OperatorRole role = switch (node.path("role").asText("")) {
            case "admin" -> OperatorRole.ADMIN;
            case "auditor" -> OperatorRole.AUDITOR;
            default -> throw invalid(file, at + ".role: must be admin or auditor");
        };
        String hash = node.hasNonNull("password-hash") ? node.get("password-hash").asText() : null;
        String cn = node.hasNonNull("certificate-cn") ? node.get("certificate-cn").asText() : null;
        if (hash == null && cn == null) {
            throw invalid(file, at + ": needs password-hash (baton hash-password) or certificate-cn");
        }
        if (hash != null && !Argon2id.isHash(hash)) {
            throw invalid(file, at + ".password-hash: must be an Argon2id PHC string as written by 'baton hash-password'");
        }
        return new Entry(new Operator(name, role), hash, cn == null || cn.isBlank() ? null : cn);
    }

    /**
     * The operator whose password this is, or empty: an unknown name, a wrong password, an operator that signs
     * in by certificate only, or a password longer than 1,024 characters.
     */
    public Optional<Operator> authenticate(String name, char[] password) {
        if (password == null || password.length == 0 || password.length > 1024) {
            return Optional.empty();
        }
        Entry e = name == null ? null : byName.get(name);
        checks.acquireUninterruptibly();
        try {
            if (e == null || e.passwordHash == null) {
                Argon2id.burn(password, Argon2id.DEFAULT_MEMORY_KIB, Argon2id.DEFAULT_ITERATIONS);
                return Optional.empty();
            }
            return Argon2id.verify(e.passwordHash, password) ? Optional.of(e.operator) : Optional.empty();
        } finally {
            checks.release();
        }
    }

    /** The operator a trusted client certificate with this common name signs in as, or empty. */
    public Optional<Operator> byCertificate(String commonName) {
        return Optional.ofNullable(byCertificate.get(commonName));
    }

    /** The CAs of operators' client certificates, when the file names them ({@code client-ca}). */
    public Optional<KeyStore> clientCa() {
        return Optional.ofNullable(clientCa);
    }

    /** Operators by name, for the listener's start-up line. */
    public int size() {
        return byName.size();
    }

    private static void checkOwnerOnly(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)
                    || perms.contains(PosixFilePermission.OTHERS_WRITE) || perms.contains(PosixFilePermission.GROUP_WRITE)) {
                throw invalid(file, "holds password hashes and must be readable by its owner only (chmod 600 "
                        + file.getFileName() + ")");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw invalid(file, "cannot be read: " + e.getMessage());
        }
    }

    private static BatonException invalid(Path file, String what) {
        return new BatonException(ResultCode.CONFIGURATION, "operators file " + file + ": " + what);
    }
}
