package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a federation server from the options of {@code baton federation} until the process is stopped. The options
 * are parsed once, by the command line (picocli, baton-cli's {@code FederationCommand}); this class checks what
 * no parser can (files, how options go together: {@link #configure}) and runs the server. A small class in the
 * manner of a command-line tool: streams come in, an exit status goes out, so it is testable without a process.
 * Exit 0 on a clean stop; otherwise the {@link ResultCode}'s status with a one-line reason on the error stream.
 */
public final class FederationServerMain {
    private final PrintStream out;
    private final PrintStream err;

    /** A tool writing to {@code out} and {@code err}. */
    public FederationServerMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Starts the server described by {@code options} and blocks until {@code stop} is counted down or the JVM
     * shuts down; returns the exit status.
     */
    public int run(Options options, CountDownLatch stop) {
        IfmapServer server;
        try {
            IfmapServerConfig.Builder builder = configure(options);
            if (options.policy() == null) {
                err.println("federation: no --policy given: no client is a gateway, so Baton gateways' session"
                        + " publishes will be refused (AccessDenied); see docs/security.md");
            }
            server = builder.build().start();
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

    /**
     * The options of {@code baton federation}, parsed by the command line (picocli, in baton-cli): this class only
     * checks what no parser can (files, and how options go together) and builds the configuration.
     *
     * @param host                 address to listen on
     * @param port                 TCP port
     * @param users                basic-auth users file (required)
     * @param dataDirectory        generated keystore and H2 forever data, or {@code null} for the default
     * @param keystore             an operator's PKCS#12 keystore, or {@code null} for the generated one
     * @param keystorePasswordFile its password's file (first line), with {@code keystore}
     * @param jdbcUrl              forever metadata (or, with {@code replicas}, the shared graph) in this database
     * @param jdbcUser             database user ({@code postgres} when {@code null})
     * @param jdbcPassword         database password ("" when {@code null})
     * @param replicas             the replica set's name, or {@code null} for a single server
     * @param compactionSeconds    with {@code replicas}: seconds between compaction attempts, or {@code null}
     * @param policy               the federation policy file, or {@code null} (then no client is a gateway)
     * @param maxSearchDepth       the server's cap on max-depth, or {@code null} for the default
     * @param maxSearchSize        the server's cap on max-size in bytes, or {@code null} for the default
     * @param adminHost            the admin listener's address ({@code 127.0.0.1} when {@code null})
     * @param adminPort            the admin listener's port, or {@code null} for no admin listener
     * @param operators            the operators file, required with {@code adminPort}
     */
    public record Options(String host, int port, Path users, Path dataDirectory, Path keystore, Path keystorePasswordFile,
                          String jdbcUrl, String jdbcUser, String jdbcPassword, String replicas, Long compactionSeconds,
                          Path policy, Integer maxSearchDepth, Integer maxSearchSize, String adminHost, Integer adminPort,
                          Path operators) {
        /** Options without an admin listener. */
        public Options(String host, int port, Path users, Path dataDirectory, Path keystore, Path keystorePasswordFile,
                       String jdbcUrl, String jdbcUser, String jdbcPassword, String replicas, Long compactionSeconds,
                       Path policy, Integer maxSearchDepth, Integer maxSearchSize) {
            this(host, port, users, dataDirectory, keystore, keystorePasswordFile, jdbcUrl, jdbcUser, jdbcPassword,
                    replicas, compactionSeconds, policy, maxSearchDepth, maxSearchSize, null, null, null);
        }
    }

    /** Checks {@code o} and builds a server configuration from it; errors name the option. */
    public static IfmapServerConfig.Builder configure(Options o) {
        IfmapServerConfig.Builder b = IfmapServer.builder().listen(o.host(), o.port());
        if (o.users() == null) {
            throw new BatonException(ResultCode.CONFIGURATION, "--basic-auth-users FILE is required");
        }
        if (o.dataDirectory() != null) {
            b.dataDirectory(o.dataDirectory());
        }
        b.searchLimits(new SearchLimits(o.maxSearchDepth() == null ? SearchLimits.DEFAULTS.maxDepth() : o.maxSearchDepth(),
                o.maxSearchSize() == null ? SearchLimits.DEFAULTS.maxSize() : o.maxSearchSize()));
        BasicAuthUsers userList = BasicAuthUsers.read(o.users());
        b.users(userList);
        if (o.policy() != null) {
            b.policy(policy(o, userList));
        }
        keyStore(o, b);
        storage(o, b);
        admin(o, b);
        return b;
    }

    /** The admin listener, when {@code o} asks for one: {@code --admin-port} needs {@code --operators}. */
    private static void admin(Options o, IfmapServerConfig.Builder b) {
        if (o.adminPort() == null) {
            if (o.operators() != null || o.adminHost() != null) {
                throw new BatonException(ResultCode.CONFIGURATION, (o.operators() != null ? "--operators" : "--admin-host")
                        + " needs --admin-port PORT (the admin listener is off without it)");
            }
            return;
        }
        if (o.operators() == null) {
            throw new BatonException(ResultCode.CONFIGURATION, "--admin-port needs --operators FILE: the admin listener"
                    + " serves only operators named there");
        }
        b.admin(new IfmapServerConfig.Admin(o.adminHost() == null ? "127.0.0.1" : o.adminHost(), o.adminPort(),
                dev.baton.admin.Operators.read(o.operators()), new dev.baton.admin.AuditLog("federation",
                        java.time.InstantSource.system())));
    }

    /** The policy file of {@code o}, every gateway it names being a user. */
    private static FederationPolicy policy(Options o, BasicAuthUsers userList) {
        FederationPolicy p = FederationPolicy.read(o.policy());
        for (String gateway : p.clientsWithRole("gateway")) {
            if (!userList.names().contains(gateway)) {
                throw new BatonException(ResultCode.CONFIGURATION, "federation policy " + o.policy() + " names gateway '"
                        + gateway + "', which is not a user of " + o.users());
            }
        }
        return p;
    }

    /** An operator's keystore, when {@code o} names one with its password file. */
    private static void keyStore(Options o, IfmapServerConfig.Builder b) {
        if (o.keystore() == null && o.keystorePasswordFile() != null) {
            throw new BatonException(ResultCode.CONFIGURATION, "--keystore-password-file needs --keystore FILE.p12");
        }
        if (o.keystore() != null) {
            if (o.keystorePasswordFile() == null) {
                throw new BatonException(ResultCode.CONFIGURATION, "--keystore needs --keystore-password-file FILE");
            }
            char[] password = readPassword(o.keystorePasswordFile());
            b.keyStore(loadKeyStore(o.keystore(), password), password);
        }
    }

    /** Replicas through PostgreSQL, forever metadata at a JDBC URL, or the default (H2 in the data directory). */
    private static void storage(Options o, IfmapServerConfig.Builder b) {
        String jdbcUser = o.jdbcUser() == null ? "postgres" : o.jdbcUser();
        String jdbcPassword = o.jdbcPassword() == null ? "" : o.jdbcPassword();
        if (o.replicas() != null) {
            if (o.jdbcUrl() == null || !o.jdbcUrl().startsWith("jdbc:postgresql:")) {
                throw new BatonException(ResultCode.CONFIGURATION, "--replicas needs --jdbc-url jdbc:postgresql://...");
            }
            if (o.compactionSeconds() != null && o.compactionSeconds() <= 0) {
                throw new BatonException(ResultCode.CONFIGURATION, "--compaction-interval must be a positive number of"
                        + " seconds, got " + o.compactionSeconds());
            }
            b.replicas(new IfmapServerConfig.Replicas(o.jdbcUrl(), jdbcUser, jdbcPassword, o.replicas(),
                    o.compactionSeconds() == null ? IfmapServerConfig.Replicas.DEFAULT_COMPACTION_INTERVAL
                            : java.time.Duration.ofSeconds(o.compactionSeconds()),
                    IfmapServerConfig.Replicas.DEFAULT_LIVENESS_WINDOW));
        } else if (o.compactionSeconds() != null) {
            throw new BatonException(ResultCode.CONFIGURATION, "--compaction-interval needs --replicas");
        } else if (o.jdbcUrl() != null) {
            String url = o.jdbcUrl();
            b.store(() -> JdbcMetadataStore.open(url, jdbcUser, jdbcPassword, url));
        }
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




}
