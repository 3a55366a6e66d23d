package dev.baton.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server under test running as a child process that listens on a loopback port: irond, or Baton's own
 * {@code baton federation} as a user starts it. Its console output goes to a file in its working folder
 * and is shown when it fails to start. Closing stops the process and any it started (TERM, then KILL after five
 * seconds); a shutdown hook kills them if the benchmark itself is stopped mid-run. Public for the benchmarks in
 * sub-packages (Keycloak in {@code dev.baton.bench.sso}). Not thread safe.
 */
public final class ChildServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final Path console;
    private final int port;
    private final Thread reaper;

    private ChildServer(String name, Process process, Path console, int port) {
        this.name = name;
        this.process = process;
        this.console = console;
        this.port = port;
        // A harness killed mid-run must not leave the server listening.
        this.reaper = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, name + "-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Runs {@code command} in {@code workDir}, its output to {@code workDir/NAME.out}, and waits until it
     * accepts connections on {@code 127.0.0.1:port}.
     *
     * @throws IOException when it cannot be started or does not listen within a minute; the message
     *                     carries the end of its console output
     */
    static ChildServer start(String name, List<String> command, Path workDir, int port)
            throws IOException, InterruptedException {
        return start(name, command, java.util.Map.of(), workDir, port, START_TIMEOUT);
    }

    /**
     * Runs {@code command} in {@code workDir} with {@code environment} added to this process's, its output to
     * {@code workDir/NAME.out}, and waits up to {@code timeout} until it accepts connections on
     * {@code 127.0.0.1:port}.
     *
     * @throws IOException when it cannot be started or does not listen in time; the message carries the end of
     *                     its console output
     */
    public static ChildServer start(String name, List<String> command, java.util.Map<String, String> environment,
                                    Path workDir, int port, Duration timeout) throws IOException, InterruptedException {
        Path console = workDir.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(console.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        ChildServer child = new ChildServer(name, process, console, port);
        try {
            child.awaitListening(timeout);
            return child;
        } catch (IOException | InterruptedException | RuntimeException e) {
            String output = child.consoleTail();
            child.close();
            throw new IOException(e.getMessage() + "; " + name + " said: " + output, e);
        }
    }

    /** A port that was free on loopback a moment ago, for a child server to listen on. */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The {@code https://127.0.0.1:PORT/} URL of the child's endpoint. */
    String url() {
        return "https://127.0.0.1:" + port + "/";
    }

    /** The child's process id, for profiling it ({@code jcmd PID JFR.start}). */
    public long pid() {
        return process.pid();
    }

    /**
     * How much the child wrote to its console so far: lines and bytes. A server logging per request
     * (a level below WARN) is measured writing its log, so the benchmark reports this beside the figures.
     */
    public String consoleSummary() {
        try (var lines = Files.lines(console, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return name + " wrote " + lines.count() + " lines (" + Files.size(console) + " bytes) to its console";
        } catch (IOException | java.io.UncheckedIOException e) {
            return name + "'s console output is unreadable: " + e.getMessage();
        }
    }

    @Override
    public void close() {
        // A launcher script may run the server as its child instead of exec-ing it (Keycloak's kc.sh start-dev).
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                try {
                    child.onExit().get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    child.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or ran; nothing left to undo.
        }
    }

    private void awaitListening(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with status " + process.exitValue() + " while starting");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException(name + " did not listen on 127.0.0.1:" + port + " within " + timeout.toSeconds() + " s");
    }

    /** The last 2,000 characters the child wrote to its console, for a reason why it failed. */
    public String consoleTail() {
        try {
            String all = Files.readString(console);
            return all.length() <= 2000 ? all : all.substring(all.length() - 2000);
        } catch (IOException e) {
            return "(no console output: " + e.getMessage() + ")";
        }
    }
}
