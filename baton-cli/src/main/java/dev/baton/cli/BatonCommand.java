package dev.baton.cli;

import dev.baton.agent.AgentState;
import dev.baton.core.BatonException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;

/**
 * The {@code baton} command. Each subcommand is a small class; this one only wires them and maps failures to
 * exit statuses: 0 on success, otherwise the {@link dev.baton.core.ResultCode}'s exit status with a one-line
 * reason on standard error.
 */
@Command(name = "baton", mixinStandardHelpOptions = true, version = "baton 0.1.0",
        description = "Federated authentication-session infrastructure for access gateways.",
        subcommands = {DemoCommand.class, FederationCommand.class, GatewayCommand.class, AgentCommand.class, SessionsCommand.class,
                HashPasswordCommand.class, CommandLine.HelpCommand.class})
public final class BatonCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** Runs the command line and returns the exit status; testable without a process. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(out, err, System.getenv(), args);
    }

    /**
     * As above, with the environment the defaults are read from given ({@code HOME} places the agent's state file),
     * so tests can run agents with homes of their own.
     */
    static int execute(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new BatonCommand());
        cli.setDefaultValueProvider(arg -> arg instanceof CommandLine.Model.OptionSpec o && o.longestName().equals("--state")
                && o.command().name().equals("agent") ? AgentState.defaultFile(env).toString() : null);
        cli.getCommandSpec().usageMessage().footer(HelpFooter.text());
        cli.getCommandSpec().exitCodeOnInvalidInput(dev.baton.core.ResultCode.INVALID_REQUEST.exitStatus());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof BatonException be) {
                err.println("baton: " + be.code() + ": " + be.getMessage());
                err.flush();
                return be.code().exitStatus();
            }
            err.println("baton: internal error: " + e + " (a defect; BATON_LOG_LEVEL=DEBUG shows more, please report it)");
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }

    /** The process entry point. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = execute(out, err, args);
        out.flush();
        System.exit(status);
    }
}
