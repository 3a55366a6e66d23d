package dev.baton.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An Apache httpd with mod_auth_openidc as an OpenID Connect relying party nobody here wrote, for browser tests of
 * a provider: a config in a fresh temp folder, one virtual host per application on its own free port of
 * 127.0.0.1, started as {@code apache2 -f FILE -k start} and stopped by the PID in its PID file on
 * {@link #close()}. Never the system service. Debian packages {@code apache2} and
 * {@code libapache2-mod-auth-openidc} ({@code scripts/test-packages.d/sso.txt}).
 *
 * <p>Why one virtual host per application: mod_auth_openidc takes the provider, client id, secret and redirect
 * URI only per server ({@code OIDCClientID not allowed in <Location> context}), so two client ids need two
 * virtual hosts, here on two ports. Cookies are not port-specific, so each application's session and state
 * cookies have names of their own ({@code baton_<app>_session}, {@code baton_<app>_state_...}) and the path
 * {@code /<app>/}; the applications live on {@code 127.0.0.1} so that a provider served as {@code localhost}
 * keeps cookies apart from theirs.
 *
 * <p>Each application {@code /<app>/} is protected with {@code Require valid-user}: PKCE S256, the authorization
 * code flow, the client secret sent as HTTP basic authentication, the provider's certificate not checked
 * ({@code OIDCSSLValidateServer Off}: the provider's is self-signed). Its page {@code /<app>/} (mod_include) shows
 * the signed-in user ({@code REMOTE_USER}, the {@code sub} claim) in {@code <span id="user">} and the
 * {@code preferred_username} claim in {@code <span id="username">}. The redirect URI {@code /<app>/redirect_uri}
 * also takes back-channel logout ({@code ?logout=backchannel}) and RP-initiated logout ({@code ?logout=URL}).
 * Sessions are mod_auth_openidc's server-side cache (shared memory), which back-channel logout needs.
 *
 * <p>Not thread-safe; one instance per test class.
 */
public final class ThrowawayApacheOidc implements AutoCloseable {
    /** The Apache binary Debian installs. */
    public static final Path APACHE = Path.of("/usr/sbin/apache2");
    /** Debian's Apache modules. */
    public static final Path MODULES = Path.of("/usr/lib/apache2/modules");

    /**
     * One protected application.
     *
     * @param name         the path segment ({@code app1} serves {@code /app1/}); letters and digits
     * @param clientId     its client id at the provider
     * @param clientSecret its client secret (client_secret_basic)
     * @param scopes       the scopes it asks for, separated by spaces (e.g. {@code "openid profile"})
     */
    public record Application(String name, String clientId, String clientSecret, String scopes) {
        /** Checks the name, which ends up in paths and cookie names. */
        public Application {
            if (name == null || !name.matches("[a-z][a-z0-9]{0,20}")) {
                throw new IllegalArgumentException("application name must match [a-z][a-z0-9]{0,20}, got " + name);
            }
            if (clientSecret == null || clientSecret.isEmpty() || clientSecret.contains("\"")) {
                throw new IllegalArgumentException("client secret of " + name + " must be non-empty, without quotes");
            }
        }
    }

    private final Path dir;
    private final Map<String, Integer> ports;
    private final long pid;

    private ThrowawayApacheOidc(Path dir, Map<String, Integer> ports, long pid) {
        this.dir = dir;
        this.ports = ports;
        this.pid = pid;
    }

    /** Why Apache with mod_auth_openidc cannot run here, or empty if it can. */
    public static Optional<String> missing() {
        if (!Files.isExecutable(APACHE) || !Files.exists(MODULES.resolve("mod_auth_openidc.so"))) {
            return Optional.of("Apache httpd with mod_auth_openidc is not installed (" + APACHE + ", "
                    + MODULES.resolve("mod_auth_openidc.so") + "); install Debian's apache2 and "
                    + "libapache2-mod-auth-openidc (scripts/prepare-test-env.sh does)");
        }
        return Optional.empty();
    }

    /**
     * Starts Apache protecting {@code applications} with the provider whose discovery document is at
     * {@code discovery}, which it reads on the first request that needs it (so the provider may start later).
     *
     * @throws IllegalStateException if Apache or the module is missing, or Apache does not start
     */
    public static ThrowawayApacheOidc start(URI discovery, List<Application> applications) {
        missing().ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        if (applications.isEmpty()) {
            throw new IllegalArgumentException("no application to protect");
        }
        try {
            Path dir = Files.createTempDirectory("baton-apache-oidc-");
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (Application app : applications) {
                ports.put(app.name(), freePort());
            }
            writeSite(dir, applications);
            Path conf = dir.resolve("httpd.conf");
            Files.writeString(conf, ApacheOidcConfig.of(dir, discovery, applications, ports, runsAsRoot()));
            run(List.of(APACHE.toString(), "-d", dir.toString(), "-f", conf.toString(), "-k", "start"), dir);
            ThrowawayApacheOidc apache = new ThrowawayApacheOidc(dir, ports, awaitPid(dir.resolve("run/httpd.pid"), dir));
            apache.awaitListening();
            return apache;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Apache", e);
        }
    }

    /** The pages and folders, readable by the worker user Apache switches to when started as root. */
    private static void writeSite(Path dir, List<Application> applications) throws IOException {
        Files.createDirectories(dir.resolve("run"));
        for (Application app : applications) {
            Path site = Files.createDirectories(dir.resolve("www").resolve(app.name()));
            Files.writeString(site.resolve("index.shtml"), """
                    <!DOCTYPE html>
                    <html lang="en"><head><meta charset="utf-8"><title>%1$s</title></head>
                    <body><h1>%1$s</h1>
                    <p>Signed in as <span id="user"><!--#echo var="REMOTE_USER" --></span>
                    (<span id="username"><!--#echo var="OIDC_CLAIM_preferred_username" --></span>)</p>
                    </body></html>
                    """.formatted(app.name()));
        }
        // Temp folders are 0700; Apache's workers (www-data when started as root) read the pages and use the
        // run folder (mutexes of mod_auth_openidc's shared-memory cache). A throwaway on loopback: open is fine.
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        p.equals(dir.resolve("run")) ? "rwxrwxrwx" : Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A random passphrase for mod_auth_openidc's cookie encryption. */
    static String randomPassphrase() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void run(List<String> command, Path dir) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("apache2 -k start did not finish in 30 s");
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("apache2 -k start failed with status " + p.exitValue() + ": " + output
                        + errorLog(dir));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Apache", e);
        }
    }

    private static long awaitPid(Path pidFile, Path dir) throws IOException {
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
        throw new IllegalStateException("Apache wrote no PID file " + pidFile + " within 10 s" + errorLog(dir));
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (int port : ports.values()) {
            while (!accepts(port)) {
                if (System.nanoTime() > deadline) {
                    String log = errorLog(dir);
                    close();
                    throw new IllegalStateException("Apache is not listening on 127.0.0.1:" + port + " after 10 s" + log);
                }
                pause(50);
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String errorLog(Path dir) {
        try {
            Path log = dir.resolve("error.log");
            return Files.exists(log) ? "\nerror.log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
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

    /** The port of {@code app}'s virtual host on 127.0.0.1. */
    public int port(String app) {
        Integer port = ports.get(app);
        if (port == null) {
            throw new IllegalArgumentException("no application " + app + "; there are " + ports.keySet());
        }
        return port;
    }

    /** The application's protected page, {@code http://127.0.0.1:PORT/<app>/}. */
    public URI home(String app) {
        return URI.create("http://127.0.0.1:" + port(app) + "/" + app + "/");
    }

    /** The redirect URI to register at the provider for {@code app}. */
    public URI redirectUri(String app) {
        return home(app).resolve("redirect_uri");
    }

    /** The back-channel logout URI to register at the provider for {@code app}. */
    public URI backchannelLogoutUri(String app) {
        return URI.create(redirectUri(app) + "?logout=backchannel");
    }

    /**
     * Where a browser signs out of {@code app} (RP-initiated logout): mod_auth_openidc ends its own session and
     * sends the browser to the provider's end_session_endpoint with {@code post_logout_redirect_uri=returnTo}.
     */
    public URI logout(String app, URI returnTo) {
        return URI.create(redirectUri(app) + "?logout=" + URLEncoder.encode(returnTo.toString(), StandardCharsets.UTF_8));
    }

    /** The name of {@code app}'s session cookie (host 127.0.0.1, path {@code /<app>/}). */
    public String sessionCookie(String app) {
        port(app);
        return "baton_" + app + "_session";
    }

    /** The applications' names, in the order given. */
    public List<String> applications() {
        return new ArrayList<>(ports.keySet());
    }

    /** What Apache and mod_auth_openidc logged so far (for a failing test's message). */
    public String errorLog() {
        return errorLog(dir);
    }

    /** The Apache parent process id. */
    public long pid() {
        return pid;
    }

    /** Whether the Apache parent process is still running. */
    public boolean alive() {
        return ThrowawayProcess.alive(pid);
    }

    /** Stops Apache by its PID (SIGTERM, which also ends its workers; SIGKILL after 10 s) and deletes the folder. */
    @Override
    public void close() {
        ThrowawayProcess.stop(pid, dir);
    }
}
