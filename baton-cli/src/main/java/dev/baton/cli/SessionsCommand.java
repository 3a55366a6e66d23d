package dev.baton.cli;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.gateway.config.GatewaySettings;
import dev.baton.store.CleanupLease;
import dev.baton.store.CleanupReport;
import dev.baton.store.CleanupSettings;
import dev.baton.store.CleanupTask;
import dev.baton.store.SessionStore;
import dev.baton.store.TimestampColumn;
import dev.baton.store.jdbc.JdbcSessionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code baton sessions ...}: operator commands on stored sessions. */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "Operate on stored sessions.",
        subcommands = SessionsCommand.Cleanup.class)
final class SessionsCommand {

    /**
     * {@code baton sessions cleanup [--dry-run]}: one cleanup run now, with progress, or a count of what would go. An
     * embedded H2 file a running gateway holds is refused at once, naming what to do instead.
     */
    @Command(name = "cleanup", mixinStandardHelpOptions = true,
            description = {"Remove expired sessions from the gateway's SQL storage now (S3), batch by batch, or count them with --dry-run.",
                "With the default embedded H2 storage the gateway must be stopped: H2 lets one process open the file, and the "
                    + "command refuses at once while a gateway holds it. A running gateway runs a cleanup through its admin API "
                    + "(POST /api/admin/v1/cleanup/run) or its console. PostgreSQL and MariaDB need no stop."})
    static final class Cleanup implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--config", required = true, description = "The gateway's YAML configuration (its storage and cleanup settings).")
        Path config;
        @Option(names = "--data-dir", defaultValue = "./baton-data", description = "The gateway's data folder, where its default H2 sessions file is (default: ${DEFAULT-VALUE}).")
        Path dataDir;
        @Option(names = "--dry-run", description = "Only say how many sessions would be removed.")
        boolean dryRun;
        @Option(names = "--batch-size", description = "Override the configured batch size.")
        Integer batchSize;
        @Option(names = "--timestamp-column", description = "Override the column: expiry_time or last_activity_time.")
        String column;
        @Option(names = "--offset-minutes", description = "Override the offset in minutes.")
        Long offsetMinutes;
        @Option(names = "--simulated-clock-offset-file", paramLabel = "FILE",
                description = "TESTING ONLY, never in production: \"now\" is the system clock plus the offset in FILE, as for a "
                        + "gateway started with the same option; without it the cleanup uses the system clock.")
        Path simulatedClockOffsetFile;

        @Override
        public Integer call() {
            GatewaySettings settings = GatewayCommand.Gateways.reader().read(config);
            CleanupSettings s = settings.storage().cleanup();
            if (batchSize != null) {
                s = s.withBatchSize(batchSize);
            }
            if (column != null || offsetMinutes != null) {
                s = s.withColumn(column == null ? s.column() : TimestampColumn.parse(column), offsetMinutes == null ? s.offsetMinutes() : offsetMinutes);
            }
            PrintWriter out = spec.commandLine().getOut();
            java.time.InstantSource clock = SimulatedClockOffset.forCommand(simulatedClockOffsetFile, "sessions cleanup");
            try (SessionStore store = open(settings)) {
                if (!(store instanceof CleanupLease lease)) {
                    throw new BatonException(ResultCode.CONFIGURATION, "storage type " + settings.storage().type()
                            + " has no database cleanup (directories use the directory purge task)");
                }
                CleanupTask task = new CleanupTask(store, lease, s, "cli-" + settings.gateway().name(), clock, new SimpleMeterRegistry());
                if (dryRun) {
                    out.printf("%d sessions would be removed (%s older than now minus %d minutes)%n", task.dryRunCount(),
                            s.column().column(), s.offsetMinutes());
                    out.flush();
                    return 0;
                }
                CleanupReport report = task.runOnce((batch, total, remaining) -> {
                    out.printf("batch of %d removed; %d so far, about %d left%n", batch, total, remaining);
                    out.flush();
                });
                out.printf("%s: %d sessions removed in %d batches in %d ms (cutoff %s)%n", report.outcome(), report.deleted(),
                        report.batches(), report.elapsed().toMillis(), report.cutoff());
                out.flush();
                return report.outcome() == CleanupReport.Outcome.COMPLETED ? 0 : ResultCode.CONFLICT.exitStatus();
            }
        }

        /** The gateway's store; an H2 file a running gateway holds is refused with what to do instead. */
        private SessionStore open(GatewaySettings settings) {
            try {
                return GatewayNode.openStore(settings.storage(), dataDir, settings.gateway().name());
            } catch (BatonException e) {
                if (!JdbcSessionStore.heldByAnotherProcess(e)) {
                    throw e;
                }
                throw new BatonException(ResultCode.UNAVAILABLE, "gateway " + settings.gateway().name() + "'s H2 session database ("
                        + GatewayNode.h2Url(settings.storage(), dataDir, settings.gateway().name()) + ") is held by another process, "
                        + "most likely the running gateway: H2 lets one process open it. Run the cleanup through that gateway: "
                        + "POST /api/admin/v1/cleanup/run on its admin listener (an admin operator; {\"dryRun\": true} only counts) "
                        + "or its console's Storage page; or stop the gateway and run this command again", e);
            }
        }
    }
}
