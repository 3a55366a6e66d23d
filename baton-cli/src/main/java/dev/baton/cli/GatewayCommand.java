package dev.baton.cli;

import dev.baton.gateway.config.GatewayConfigFile;
import dev.baton.gateway.config.GatewaySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code baton gateway --config FILE}: runs a gateway until the process is stopped. */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = "Run a gateway from its YAML configuration (see docs/gateway.md).")
final class GatewayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "The gateway's YAML configuration.")
    Path config;

    @Option(names = "--data-dir", defaultValue = "./baton-data", description = "Generated TLS keystore and default H2 sessions (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--check", description = "Only validate the configuration and print the effective settings, defaults "
            + "filled in (the federation user, the H2 file in --data-dir, the generated TLS keystore); secrets masked.")
    boolean check;

    @Option(names = "--simulated-clock-offset-file", paramLabel = "FILE",
            description = "TESTING ONLY, never in production: the gateway's clock is the system clock plus the offset in FILE "
                    + "(PT2H, -PT5M or milliseconds), re-read when FILE changes, so end-to-end tests move time by rewriting it.")
    Path simulatedClockOffsetFile;

    @Override
    public Integer call() throws InterruptedException {
        GatewaySettings settings = Gateways.reader().read(config);
        var out = spec.commandLine().getOut();
        var sso = settings.sso().map(n -> dev.baton.sso.SsoSettings.read(n, settings.gateway())); // validated before anything starts
        if (check) {
            out.print(EffectiveSettings.describe(settings, dataDir));
            sso.ifPresent(o -> out.printf("  browser sign-on: issuer %s, listen %s, realms %s, clients %s%n", o.issuer(), o.listen(),
                    o.realms().keySet(), new java.util.TreeSet<>(o.clients().keySet())));
            out.flush();
            return 0;
        }
        // Said before the wait: a database that opens slowly (an H2 file after a crash, a busy machine) is waited for.
        out.printf("gateway %s starting: opening its session store (%s; waiting up to %d s for a database to open), then"
                + " connecting to the federation server %s%n", settings.gateway().name(), settings.storage().type(),
                dev.baton.store.jdbc.JdbcStoreConfig.DEFAULT_STARTUP_TIMEOUT.toSeconds(), settings.federation().url());
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        try (GatewayNode node = GatewayNode.start(settings, dataDir, SimulatedClockOffset.forCommand(simulatedClockOffsetFile, "gateway " + settings.gateway().name()))) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "gateway-shutdown"));
            out.printf("gateway %s listening on https://%s:%d%n", settings.gateway().name(), settings.listen().getHostString(), node.port());
            node.ssoIssuer().ifPresent(issuer -> out.printf("browser sign-on (OpenID Connect provider) at %s, port %d%n", issuer, node.ssoPort()));
            out.flush();
            stop.await();
        }
        return 0;
    }

    /** The configuration reader with every authentication-server kind this build has. */
    static final class Gateways {
        private Gateways() {
        }

        static GatewayConfigFile reader() {
            return new GatewayConfigFile();
        }
    }
}
