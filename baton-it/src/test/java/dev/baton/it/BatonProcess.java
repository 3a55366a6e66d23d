package dev.baton.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code baton} command run as its own process from the shaded jar, with its output in a log file. Tests
 * wait for a line that says it is ready, and stop it gently ({@link #close}) or as a crash would
 * ({@link #kill9}).
 */
final class BatonProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String name;

    private BatonProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code baton args...} and waits until its output contains {@code ready}. */
    static BatonProcess start(String name, Path dir, String ready, String... args) {
        return start(name, dir, Map.of(), ready, args);
    }

    /** Starts {@code baton args...} with more environment variables and waits until its output contains {@code ready}. */
    static BatonProcess start(String name, Path dir, Map<String, String> env, String ready, String... args) {
        List<String> command = command(args);
        Path log = dir.resolve(name + ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            BatonProcess bp = new BatonProcess(name, p, log);
            bp.awaitOutput(ready, Duration.ofSeconds(60));
            return bp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a command that ran to its end said. */
    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit status " + status + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    /**
     * Runs {@code baton args...} to its end, as a user at a shell would (the agent's commands, say), and
     * returns its exit status and output; fails if it takes longer than a minute.
     */
    static Run run(String name, Path dir, String... args) {
        List<String> command = command(args);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close(); // nothing on standard input
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("baton " + String.join(" ", args) + " did not finish within a minute:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running baton " + String.join(" ", args), e);
        }
    }

    private static List<String> command(String... args) {
        String jar = System.getProperty("baton.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("the baton jar is missing (" + jar + "); run the build through ./baton test or ./mvnw verify");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar));
        command.addAll(List.of(args));
        return command;
    }

    /** Waits until the process printed {@code text}; fails with its log if it exited or took too long. */
    void awaitOutput(String text, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            String out = output();
            if (out.contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before '" + text + "':\n" + out);
            }
            sleep(50);
        }
        throw new IllegalStateException(name + " did not print '" + text + "' within " + timeout + ":\n" + output());
    }

    /** Everything the process printed so far. */
    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Kills the process with SIGKILL, as {@code kill -9} does: no shutdown hook runs. */
    void kill9() {
        process.destroyForcibly();
        waitFor();
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A free TCP port on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
