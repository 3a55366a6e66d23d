package dev.baton.agent;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * What an agent must remember across a reboot: its session id, the key pair the session is bound to, and
 * the gateway it was last on. Kept in a
 * properties file readable by its owner only (mode 0600 where the file system has POSIX permissions),
 * replaced atomically on every change.
 *
 * @param sessionId  the session id, or {@code null} when signed out
 * @param gateway    the gateway last connected to, or {@code null}
 * @param publicKey  the agent's public key (base64 X.509), or {@code null}
 * @param privateKey the agent's private key (base64 PKCS#8), or {@code null}
 */
public record AgentState(String sessionId, String gateway, String publicKey, String privateKey) {
    /** No session. */
    public static final AgentState EMPTY = new AgentState(null, null, null, null);

    /** The same state connected to another gateway. */
    public AgentState on(String gatewayName) {
        return new AgentState(sessionId, gatewayName, publicKey, privateKey);
    }

    /**
     * Where an agent keeps its state unless told otherwise: {@code $HOME/.baton/agent.state}. The {@code HOME}
     * variable decides when it is set, not Java's {@code user.home}, which comes from the password database: with
     * it, two agents of one user started with different {@code HOME}s would share one file.
     *
     * @param env the process environment ({@link System#getenv()})
     */
    public static Path defaultFile(java.util.Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home, ".baton", "agent.state");
    }

    /** Whether the agent holds a session. */
    public boolean signedIn() {
        return sessionId != null;
    }

    /** Reads the state file; {@link #EMPTY} if there is none. */
    public static AgentState load(Path file) {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "cannot read agent state file " + file + ": " + e.getMessage(), e);
        }
        return new AgentState(p.getProperty("session-id"), p.getProperty("gateway"), p.getProperty("public-key"),
                p.getProperty("private-key"));
    }

    /** Writes the state file with owner-only permissions, atomically. */
    public void save(Path file) {
        Properties p = new Properties();
        Optional.ofNullable(sessionId).ifPresent(v -> p.setProperty("session-id", v));
        Optional.ofNullable(gateway).ifPresent(v -> p.setProperty("gateway", v));
        Optional.ofNullable(publicKey).ifPresent(v -> p.setProperty("public-key", v));
        Optional.ofNullable(privateKey).ifPresent(v -> p.setProperty("private-key", v));
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".agent-state", ".tmp");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "Baton agent state: holds a session id, keep private");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BatonException(ResultCode.UNAVAILABLE, "cannot write agent state file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "AgentState[signedIn=" + signedIn() + ", gateway=" + gateway + "]";
    }
}
