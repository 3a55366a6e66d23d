package dev.baton.testing;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An OpenLDAP slapd for tests and benchmarks: a config and an mdb database in a fresh temp folder, the Baton
 * schema and indexes, listening on a free loopback port, stopped by its PID on {@link #close()}. Does what
 * {@code scripts/slapd.sh start} does, so tests need no shell; install slapd with {@code scripts/slapd.sh install}.
 *
 * <p>The directory has suffix {@value #SUFFIX}, root DN {@value #ROOT_DN} and password {@value #PASSWORD}.
 * Not thread-safe; one instance per test class.
 */
public final class ThrowawaySlapd implements AutoCloseable {
    /** The database suffix. */
    public static final String SUFFIX = "dc=baton,dc=test";
    /** The root DN, allowed everything. */
    public static final String ROOT_DN = "cn=admin," + SUFFIX;
    /** The root DN's password. */
    public static final String PASSWORD = "secret";

    private static final List<String> INDEXES = List.of("objectClass", "batonSessionIdHash", "batonUser", "batonOwner",
            "batonExpiryTime", "batonLastActivityTime", "batonPurgeTask");

    private final Path dir;
    private final int port;
    private final long pid;

    private ThrowawaySlapd(Path dir, int port, long pid) {
        this.dir = dir;
        this.port = port;
        this.pid = pid;
    }

    /** Where the slapd binary is, if installed. */
    public static Optional<Path> findBinary() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty()) {
                candidates.add(Path.of(d, "slapd"));
            }
        }
        candidates.add(Path.of("/usr/sbin/slapd"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts a slapd with the Baton schema on a free port of 127.0.0.1 and creates the suffix entry.
     *
     * @param batonSchema the Baton schema file (baton-store-ldap's {@code /dev/baton/store/ldap/baton.schema}
     *                    resource); given by the caller so this module does not depend on the store's
     * @throws IllegalStateException if slapd is not installed or does not start
     */
    public static ThrowawaySlapd start(java.net.URL batonSchema) {
        Path binary = findBinary().orElseThrow(() -> new IllegalStateException(
                "slapd is not installed; run scripts/slapd.sh install (Debian packages slapd and ldap-utils)"));
        try {
            Path dir = Files.createTempDirectory("baton-slapd-");
            Files.createDirectories(dir.resolve("data"));
            Path schema = dir.resolve("baton.schema");
            try (InputStream in = batonSchema.openStream()) {
                Files.copy(in, schema);
            }
            Path conf = dir.resolve("slapd.conf");
            Files.writeString(conf, config(dir, schema), StandardCharsets.UTF_8);
            int port = freePort();
            run(List.of(binary.toString(), "-T", "test", "-u", "-f", conf.toString()), "slaptest");
            run(List.of(binary.toString(), "-h", "ldap://127.0.0.1:" + port + "/", "-f", conf.toString()), "slapd");
            long pid = awaitPid(dir.resolve("slapd.pid"));
            ThrowawaySlapd slapd = new ThrowawaySlapd(dir, port, pid);
            slapd.awaitListening();
            slapd.addSuffixEntry();
            return slapd;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start slapd", e);
        }
    }

    private static String config(Path dir, Path schema) {
        StringBuilder c = new StringBuilder();
        for (String s : List.of("core", "cosine", "inetorgperson")) {
            c.append("include /etc/ldap/schema/").append(s).append(".schema\n");
        }
        c.append("include ").append(schema).append('\n')
                .append("pidfile ").append(dir.resolve("slapd.pid")).append('\n')
                .append("argsfile ").append(dir.resolve("slapd.args")).append('\n')
                .append("modulepath /usr/lib/ldap\nmoduleload back_mdb\nsizelimit unlimited\n")
                .append("database mdb\nmaxsize 1073741824\n")
                .append("suffix \"").append(SUFFIX).append("\"\n")
                .append("rootdn \"").append(ROOT_DN).append("\"\n")
                .append("rootpw ").append(PASSWORD).append('\n')
                .append("directory ").append(dir.resolve("data")).append('\n')
                .append("dbnosync\n"); // throwaway data: durability is not worth the fsyncs
        INDEXES.forEach(i -> c.append("index ").append(i).append(" eq\n"));
        return c.toString();
    }

    private static void run(List<String> command, String what) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish in 30 s");
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed with status " + p.exitValue() + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what, e);
        }
    }

    private static long awaitPid(Path pidFile) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(pidFile)) {
                String text = Files.readString(pidFile).strip();
                if (!text.isEmpty()) {
                    return Long.parseLong(text);
                }
            }
            pause(50);
        }
        throw new IllegalStateException("slapd wrote no PID file " + pidFile + " within 10 s");
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                pause(50);
            }
        }
        close();
        throw new IllegalStateException("slapd is not listening on 127.0.0.1:" + port + " after 10 s");
    }

    private void addSuffixEntry() {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", port, ROOT_DN, PASSWORD)) {
            c.add("dn: " + SUFFIX, "objectClass: dcObject", "objectClass: organization", "o: baton", "dc: baton");
        } catch (LDAPException | LDIFException e) {
            close();
            throw new IllegalStateException("cannot create " + SUFFIX + " on slapd: " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The slapd process id. */
    public long pid() {
        return pid;
    }

    /** Whether the process is still running. */
    public boolean alive() {
        return ThrowawayProcess.alive(pid);
    }

    /** Stops slapd by its PID (SIGTERM, then SIGKILL after 10 s) and deletes the folder. */
    @Override
    public void close() {
        ThrowawayProcess.stop(pid, dir);
    }
}
