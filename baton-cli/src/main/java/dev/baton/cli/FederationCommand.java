package dev.baton.cli;

import dev.baton.ifmap.FederationServerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code baton federation}: runs an IF-MAP 2.x federation server until the process is stopped. */
@Command(name = "federation", mixinStandardHelpOptions = true,
        description = "Run the IF-MAP 2.x federation server (SOAP over HTTPS) that gateways and any IF-MAP client use.")
final class FederationCommand implements Callable<Integer> {
    @Option(names = "--listen", defaultValue = "127.0.0.1:8443", description = "HOST:PORT to listen on, HTTPS (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--basic-auth-users", required = true, description = "File of user:password lines; each user is its own publisher.")
    String users;

    @Option(names = "--data-dir", description = "Generated TLS keystore and the H2 database of forever metadata (default ./federation-data).")
    String dataDir;

    @Option(names = "--keystore", paramLabel = "FILE.p12",
            description = "PKCS#12 keystore with the server's TLS key and certificate, instead of the generated self-signed one.")
    String keystore;

    @Option(names = "--keystore-password-file", paramLabel = "FILE",
            description = "File whose first line is the --keystore password (kept off the command line, which every local user can read).")
    String keystorePasswordFile;

    @Option(names = "--jdbc-url", description = "Keep forever metadata in this database (PostgreSQL) instead of H2.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", description = "Database user.")
    String jdbcUser;

    @Option(names = "--jdbc-password", description = "Database password.")
    String jdbcPassword;

    @Option(names = "--replicas", description = "With --jdbc-url (PostgreSQL): be a replica of every server started with this name.")
    String replicas;

    @Option(names = "--compaction-interval", description = "With --replicas: seconds between attempts to compact the shared log (default 300).")
    String compactionInterval;

    @Option(names = "--policy", description = "Federation policy (YAML): each client's role (gateway, publisher, reader, auditor, admin, none) and quotas. Without it no client is a gateway (docs/security.md).")
    String policy;

    @Option(names = "--max-search-depth", description = "Largest max-depth a search or subscription is served with (default 10).")
    String maxSearchDepth;

    @Option(names = "--max-search-size", description = "Largest max-size in bytes a search or subscription is served with (default 10000000).")
    String maxSearchSize;

    /** Counted down to stop the server; a process stops through FederationServerMain's shutdown hook instead. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(List.of("--listen", listen, "--basic-auth-users", users));
        add(args, "--data-dir", dataDir);
        add(args, "--keystore", keystore);
        add(args, "--keystore-password-file", keystorePasswordFile);
        add(args, "--jdbc-url", jdbcUrl);
        add(args, "--jdbc-user", jdbcUser);
        add(args, "--jdbc-password", jdbcPassword);
        add(args, "--replicas", replicas);
        add(args, "--compaction-interval", compactionInterval);
        add(args, "--policy", policy);
        add(args, "--max-search-depth", maxSearchDepth);
        add(args, "--max-search-size", maxSearchSize);
        return new FederationServerMain(System.out, System.err).run(args.toArray(String[]::new), stop);
    }

    private static void add(List<String> args, String flag, String value) {
        if (value != null) {
            args.add(flag);
            args.add(value);
        }
    }
}
