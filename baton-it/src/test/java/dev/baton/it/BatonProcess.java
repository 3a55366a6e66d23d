package dev.baton.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        String jar = System.getProperty("baton.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("the baton jar is missing (" + jar + "); run the build through ./baton test or ./mvnw verify");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar));
        command.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            BatonProcess bp = new BatonProcess(name, p, log);
            bp.awaitOutput(ready, Duration.ofSeconds(60));
            return bp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
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
