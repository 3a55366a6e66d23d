package dev.baton.cli;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.ifmap.server.FederationServerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code baton federation}: runs an IF-MAP 2.x federation server until the process is stopped. The one parser of
 * the server's options: picocli reads them into typed fields, and {@link FederationServerMain#configure} checks what
 * goes together and builds the server.
 */
@Command(name = "federation", mixinStandardHelpOptions = true,
        description = "Run the IF-MAP 2.x federation server (SOAP over HTTPS) that gateways and any IF-MAP client use.")
final class FederationCommand implements Callable<Integer> {
    @Option(names = "--listen", defaultValue = "127.0.0.1:8443", paramLabel = "HOST:PORT",
            description = "Address to listen on, HTTPS (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--basic-auth-users", required = true, paramLabel = "FILE",
            description = "File of user:password lines; each user is its own publisher.")
    Path users;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Federation policy (YAML): each client's role (gateway, publisher, reader, auditor, admin, none) and quotas."
                    + " Without it no client is a gateway (docs/security.md).")
    Path policy;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Generated TLS keystore and the H2 database of forever metadata (default ./federation-data).")
    Path dataDir;

    @Option(names = "--keystore", paramLabel = "FILE.p12",
            description = "PKCS#12 keystore with the server's TLS key and certificate, instead of the generated self-signed one.")
    Path keystore;

    @Option(names = "--keystore-password-file", paramLabel = "FILE",
            description = "File whose first line is the --keystore password (kept off the command line, which every local user can read).")
    Path keystorePasswordFile;

    @Option(names = "--jdbc-url", description = "Keep forever metadata in this database (PostgreSQL) instead of H2.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", description = "Database user (default postgres).")
    String jdbcUser;

    @Option(names = "--jdbc-password", description = "Database password (default empty).")
    String jdbcPassword;

    @Option(names = "--replicas", paramLabel = "NAME",
            description = "With --jdbc-url (PostgreSQL): be a replica of every server started with this name.")
    String replicas;

    @Option(names = "--compaction-interval", paramLabel = "SECONDS",
            description = "With --replicas: seconds between attempts to compact the shared log (default 300).")
    Long compactionInterval;

    @Option(names = "--max-search-depth", paramLabel = "N",
            description = "Largest max-depth a search or subscription is served with (default 10).")
    Integer maxSearchDepth;

    @Option(names = "--max-search-size", paramLabel = "BYTES",
            description = "Largest max-size in bytes a search or subscription is served with (default 10000000).")
    Integer maxSearchSize;

    @Option(names = "--admin-port", paramLabel = "PORT",
            description = "Serve the admin API and /metrics over HTTPS on this port (needs --operators).")
    Integer adminPort;

    @Option(names = "--admin-host", paramLabel = "HOST",
            description = "Address of the admin listener (default 127.0.0.1).")
    String adminHost;

    @Option(names = "--operators", paramLabel = "FILE",
            description = "Operators of the admin listener: names, roles (admin, auditor), Argon2id hashes.")
    Path operators;

    /** Counted down to stop the server; a process stops through FederationServerMain's shutdown hook instead. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() {
        FederationServerMain.Options options = options();
        if (adminPort != null && operators != null) {
            // The admin listener's audit events (operators' actions, failed sign-ins) go to a file of their own.
            AuditFile.attach((dataDir == null ? Path.of("federation-data") : dataDir).resolve("audit"));
        }
        return new FederationServerMain(System.out, System.err).run(options, stop);
    }

    /** The typed options; {@code --listen} is split here, the one option picocli cannot type. */
    FederationServerMain.Options options() {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new BatonException(ResultCode.CONFIGURATION, "--listen must be HOST:PORT, got " + listen);
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "--listen port must be a number, got " + listen);
        }
        return new FederationServerMain.Options(host, port, users, dataDir, keystore, keystorePasswordFile, jdbcUrl, jdbcUser,
                jdbcPassword, replicas, compactionInterval, policy, maxSearchDepth, maxSearchSize, adminHost, adminPort,
                operators);
    }
}
