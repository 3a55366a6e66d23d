package dev.baton.ifmap;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.FederationPolicy;
import dev.baton.ifmap.server.SearchLimits;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.ifmap.server.IfmapServerConfig;
import dev.baton.ifmap.server.JdbcMetadataStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code federation --listen HOST:PORT --basic-auth-users FILE [--data-dir DIR]
 * [--keystore FILE.p12 --keystore-password-file FILE] [--jdbc-url URL [--jdbc-user U] [--jdbc-password P]]
 * [--replicas NAME [--compaction-interval SECONDS]] [--policy FILE] [--max-search-depth N] [--max-search-size N]}:
 * runs a federation server until the process is stopped. {@code --keystore} is an operator's PKCS#12 keystore instead of the generated
 * certificate; its password is read from the first line of {@code --keystore-password-file}, so that it is not
 * on the command line, where every local user can read it ({@code ps}, {@code /proc/PID/cmdline}).
 * {@code --keystore-password P} is still accepted for scripts written before, with a warning. {@code --jdbc-url} alone keeps forever metadata in that database instead of the
 * embedded H2; with {@code --replicas NAME} (a PostgreSQL URL) the server is a replica of every server started
 * with the same database and name; {@code --compaction-interval} is how often a replica tries to compact
 * the shared log (default 300); {@code --policy} names each client's role ({@link FederationPolicy}; without it no
 * client is a gateway). A small class in the manner of a command-line tool: streams come in, an exit status goes out,
 * so it is testable without a process. Exit 0 on a clean stop; otherwise the {@link ResultCode}'s status
 * with a one-line reason on the error stream.
 */
public final class FederationServerMain {
    private final PrintStream out;
    private final PrintStream err;

    /** A tool writing to {@code out} and {@code err}. */
    public FederationServerMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs from a shell. */
    public static void main(String[] args) {
        System.exit(new FederationServerMain(System.out, System.err).run(args, new CountDownLatch(1)));
    }

    /**
     * Starts the server described by {@code args} and blocks until {@code stop} is counted down or the JVM
     * shuts down; returns the exit status.
     */
    public int run(String[] args, CountDownLatch stop) {
        IfmapServer server;
        if (java.util.Arrays.asList(args).contains("--keystore-password")) {
            err.println("federation: warning: --keystore-password shows the password to every local user (ps);"
                    + " use --keystore-password-file FILE");
        }
        try {
            server = configure(args).build().start();
        } catch (BatonException e) {
            err.println("federation: " + e.getMessage());
            return e.code().exitStatus();
        }
        Thread hook = new Thread(stop::countDown, "federation-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("federation server listening on " + server.url());
        out.flush();
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is what stopped us
            }
        }
        return 0;
    }

    /** Parses {@code args} into a server configuration builder. */
    static IfmapServerConfig.Builder configure(String[] args) {
        IfmapServerConfig.Builder b = IfmapServer.builder();
        String users = null;
        String jdbcUrl = null;
        String jdbcUser = "postgres";
        String jdbcPassword = "";
        String replicas = null;
        String compaction = null;
        String keystore = null;
        String keystorePassword = null;
        String policy = null;
        int depth = SearchLimits.DEFAULTS.maxDepth();
        int size = SearchLimits.DEFAULTS.maxSize();
        String keystorePasswordFile = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--listen" -> b.listen(host(require(value, "--listen")), port(value));
                case "--basic-auth-users" -> users = require(value, "--basic-auth-users");
                case "--data-dir" -> b.dataDirectory(Path.of(require(value, "--data-dir")));
                case "--jdbc-url" -> jdbcUrl = require(value, "--jdbc-url");
                case "--jdbc-user" -> jdbcUser = require(value, "--jdbc-user");
                case "--jdbc-password" -> jdbcPassword = require(value, "--jdbc-password");
                case "--replicas" -> replicas = require(value, "--replicas");
                case "--compaction-interval" -> compaction = require(value, "--compaction-interval");
                case "--keystore" -> keystore = require(value, "--keystore");
                case "--keystore-password" -> keystorePassword = require(value, "--keystore-password");
                case "--policy" -> policy = require(value, "--policy");
                case "--max-search-depth" -> depth = (int) positive(require(value, args[i]), args[i], "links");
                case "--max-search-size" -> size = (int) positive(require(value, args[i]), args[i], "bytes");
                case "--keystore-password-file" -> keystorePasswordFile = require(value, "--keystore-password-file, --policy,"
                        + " --max-search-depth, --max-search-size");
                default -> throw new BatonException(ResultCode.CONFIGURATION, "unknown option " + args[i]
                        + "; expected --listen, --basic-auth-users, --data-dir, --jdbc-url, --jdbc-user, --jdbc-password,"
                        + " --replicas, --compaction-interval, --keystore, --keystore-password-file, --policy,"
                        + " --max-search-depth, --max-search-size");
            }
            i++;
        }
        b.searchLimits(new SearchLimits(depth, size));
        if (users == null) {
            throw new BatonException(ResultCode.CONFIGURATION, "--basic-auth-users FILE is required");
        }
        BasicAuthUsers userList = BasicAuthUsers.read(Path.of(users));
        b.users(userList);
        if (policy != null) {
            FederationPolicy p = FederationPolicy.read(Path.of(policy));
            for (String gateway : p.clientsWithRole("gateway")) {
                if (!userList.names().contains(gateway)) {
                    throw new BatonException(ResultCode.CONFIGURATION, "federation policy " + policy + " names gateway '"
                            + gateway + "', which is not a user of " + users);
                }
            }
            b.policy(p);
        } else {
            System.err.println("federation: no --policy given: no client is a gateway, so Baton gateways' session"
                    + " publishes will be refused (AccessDenied); see docs/security.md");
        }
        if (keystorePassword != null && keystorePasswordFile != null) {
            throw new BatonException(ResultCode.CONFIGURATION, "give --keystore-password-file or --keystore-password,"
                    + " not both");
        }
        if (keystore == null && (keystorePassword != null || keystorePasswordFile != null)) {
            throw new BatonException(ResultCode.CONFIGURATION, "a keystore password needs --keystore FILE.p12");
        }
        if (keystore != null) {
            if (keystorePassword == null && keystorePasswordFile == null) {
                throw new BatonException(ResultCode.CONFIGURATION, "--keystore needs --keystore-password-file FILE");
            }
            char[] password = keystorePasswordFile != null ? readPassword(Path.of(keystorePasswordFile))
                    : keystorePassword.toCharArray();
            b.keyStore(loadKeyStore(Path.of(keystore), password), password);
        }
        if (replicas != null) {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new BatonException(ResultCode.CONFIGURATION, "--replicas needs --jdbc-url jdbc:postgresql://...");
            }
            b.replicas(new IfmapServerConfig.Replicas(jdbcUrl, jdbcUser, jdbcPassword, replicas,
                    compaction == null ? IfmapServerConfig.Replicas.DEFAULT_COMPACTION_INTERVAL
                            : java.time.Duration.ofSeconds(seconds(compaction, "--compaction-interval")),
                    IfmapServerConfig.Replicas.DEFAULT_LIVENESS_WINDOW));
        } else if (compaction != null) {
            throw new BatonException(ResultCode.CONFIGURATION, "--compaction-interval needs --replicas");
        } else if (jdbcUrl != null) {
            String url = jdbcUrl;
            String user = jdbcUser;
            String password = jdbcPassword;
            b.store(() -> JdbcMetadataStore.open(url, user, password, url));
        }
        return b;
    }

    private static java.security.KeyStore loadKeyStore(Path file, char[] password) {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (Exception e) {
            throw new BatonException(ResultCode.CONFIGURATION, "--keystore " + file + " cannot be read as PKCS#12: "
                    + e.getMessage(), e);
        }
    }

    private static long positive(String value, String option, String unit) {
        try {
            long n = Long.parseLong(value);
            if (n > 0 && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BatonException(ResultCode.CONFIGURATION, option + " must be a positive number of " + unit + ", got '"
                + value + "'");
    }

    /** The first line of {@code file}, without its line end (what {@code echo pw > file} writes). */
    private static char[] readPassword(Path file) {
        try {
            String text = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            return (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).toCharArray();
        } catch (java.io.IOException | RuntimeException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "--keystore-password-file " + file + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private static long seconds(String value, String option) {
        try {
            long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BatonException(ResultCode.CONFIGURATION, option + " must be a positive number of seconds, got '"
                + value + "'");
    }

    private static String require(String value, String option) {
        if (value == null || value.startsWith("--")) {
            throw new BatonException(ResultCode.CONFIGURATION, option + " needs a value");
        }
        return value;
    }

    private static String host(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new BatonException(ResultCode.CONFIGURATION, "--listen must be HOST:PORT, got " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(String hostPort) {
        try {
            return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "--listen port must be a number, got " + hostPort);
        }
    }
}
