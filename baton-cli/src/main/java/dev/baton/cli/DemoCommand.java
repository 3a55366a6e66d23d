package dev.baton.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.Console;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code baton demo}: runs the migration story on embedded defaults and narrates it, then the browser part; on an
 * interactive terminal it then serves the demo application until Enter is pressed (unless {@code --no-wait}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Sign in at gateway A, migrate to gateway B, and show what each side holds, on embedded defaults;"
                + " then sign in to a demo application in a browser through Baton's OpenID Connect provider.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--no-wait", description = "Do not keep the demo application running for a browser, even on a terminal.")
    boolean noWait;

    @Override
    public Integer call() {
        // The story narrates what the gateways' event log would say; BATON_EVENT_LOG_LEVEL=INFO shows both.
        ch.qos.logback.classic.Logger events = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("baton.events");
        ch.qos.logback.classic.Level level = events.getLevel();
        if (System.getenv("BATON_EVENT_LOG_LEVEL") == null) {
            events.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        try {
            new MigrationDemo(spec.commandLine().getOut()).run();
            spec.commandLine().getOut().println();
            new BrowserDemo(spec.commandLine().getOut()).run(noWait ? Optional.empty() : untilEnter(System.console()));
            return 0;
        } finally {
            events.setLevel(level);
        }
    }

    /**
     * Waiting for Enter, on an interactive terminal only: never in tests, CI or with piped output, where nobody
     * could open the URL or press Enter.
     */
    static Optional<Runnable> untilEnter(Console console) {
        if (console == null || !isTerminal(console)) {
            return Optional.empty();
        }
        return Optional.of(console::readLine);
    }

    /**
     * {@code Console.isTerminal()} where the JDK has it (22 and later, whose {@code System.console()} may answer
     * even without a terminal); on 21 a console is a terminal.
     */
    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
