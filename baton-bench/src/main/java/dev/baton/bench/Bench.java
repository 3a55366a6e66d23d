package dev.baton.bench;

import dev.baton.core.ResultCode;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Command line entry point: {@code Bench NAME [--quick]} runs the benchmark registered as NAME and prints
 * its {@code RESULT name=value} lines on standard output.
 *
 * <p>Exit status: 0 when the benchmark measured Baton (an absent peer is reported as
 * {@code RESULT peer.NAME=absent}, not as a failure); {@link ResultCode#UNAVAILABLE}'s status when
 * Baton's own side could not be measured; {@link ResultCode#INVALID_REQUEST}'s status for a bad command line;
 * {@link ResultCode#INTERNAL}'s status when a measurement failed. Every non-zero status comes with a
 * one-line reason on standard error.
 */
public final class Bench {
    static final String LOGGING = "baton-bench-logback.xml";

    private final BenchRegistry registry;
    private final PrintStream out;
    private final PrintStream err;

    /** A dispatcher over {@code registry} that writes results to {@code out} and reasons to {@code err}. */
    public Bench(BenchRegistry registry, PrintStream out, PrintStream err) {
        this.registry = registry;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs {@code Bench NAME [--quick]} and exits with its status. Servers run in-process log at WARN
     * (resource {@value #LOGGING}) unless {@code logback.configurationFile} says otherwise.
     */
    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGGING);
        }
        System.exit(new Bench(BenchRegistry.standard(), System.out, System.err).run(args));
    }

    /** Runs the command line {@code args} and returns the exit status (see the class comment). */
    public int run(String... args) {
        String[] names = Arrays.stream(args).filter(a -> !a.equals("--quick")).toArray(String[]::new);
        if (names.length != 1 || names[0].startsWith("-")) {
            err.println("usage: bench NAME [--quick], where NAME is one of " + registry.entries().keySet());
            return ResultCode.INVALID_REQUEST.exitStatus();
        }
        var entry = registry.find(names[0]);
        if (entry.isEmpty()) {
            err.println("unknown benchmark '" + names[0] + "'; known: " + registry.entries().keySet());
            return ResultCode.INVALID_REQUEST.exitStatus();
        }
        return runOne(names[0], entry.get(), RunMode.fromArgs(args));
    }

    private int runOne(String name, BenchRegistry.Entry entry, RunMode mode) {
        Results results = new Results(out);
        results.note("bench " + name + " (" + mode.name().toLowerCase(java.util.Locale.ROOT) + "): " + entry.description());
        try {
            if (entry.factory().get().run(mode, results)) {
                return 0;
            }
            err.println("bench " + name + ": Baton's side was not measured (see the notes above)");
            return ResultCode.UNAVAILABLE.exitStatus();
        } catch (Exception | AssertionError e) {
            err.println("bench " + name + " failed: " + e);
            e.printStackTrace(err);
            return ResultCode.INTERNAL.exitStatus();
        }
    }
}
