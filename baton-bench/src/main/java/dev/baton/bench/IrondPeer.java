package dev.baton.bench;

import dev.baton.bench.loopback.LoopbackLauncher;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * irond, the reference IF-MAP 2.x server, as a child process on a free loopback port, configured from a
 * private copy of {@code IROND_HOME} (see {@link IrondHome}). Its console output goes to
 * {@code irond.out} in that copy and is shown when it fails to start. Closing stops the process (TERM,
 * then KILL after five seconds) and deletes the copy.
 */
final class IrondPeer implements FederationUnderTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path workDir;
    private final int port;
    private final Thread reaper;

    private IrondPeer(Process process, Path workDir, int port) {
        this.process = process;
        this.workDir = workDir;
        this.port = port;
        // A harness killed mid-run must not leave irond listening.
        this.reaper = new Thread(process::destroyForcibly, "irond-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts irond from {@code home} and waits until it accepts connections.
     *
     * @throws IOException when it cannot be started or does not listen within a minute; the message
     *                     carries the end of its console output
     */
    static IrondPeer start(IrondHome home) throws IOException, InterruptedException {
        Path workDir = Files.createTempDirectory("baton-bench-irond-");
        int port = freeLoopbackPort();
        home.prepare(workDir, port, PUBLISHER, SUBSCRIBER);
        String classPath = String.join(File.pathSeparator, workDir.toString(), home.jar().toString(), benchClassPath());
        List<String> command = List.of(javaFor().toString(),
                "-cp", classPath, LoopbackLauncher.class.getName(), home.mainClass());
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("irond.out").toFile()).start();
        IrondPeer peer = new IrondPeer(process, workDir, port);
        try {
            peer.awaitListening();
            return peer;
        } catch (IOException | InterruptedException | RuntimeException e) {
            String output = peer.consoleTail();
            peer.close();
            throw new IOException(e.getMessage() + "; irond said: " + output, e);
        }
    }

    @Override
    public String name() {
        return "irond";
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint("https://127.0.0.1:" + port + "/", PUBLISHER, SUBSCRIBER);
    }

    /** The private configuration copy irond runs in (its working directory). */
    Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or ran; nothing left to undo.
        }
        IrondHome.deleteTree(workDir);
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("irond exited with status " + process.exitValue() + " while starting");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("irond did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT.toSeconds() + " s");
    }

    private String consoleTail() {
        try {
            String all = Files.readString(workDir.resolve("irond.out"));
            return all.length() <= 2000 ? all : all.substring(all.length() - 2000);
        } catch (IOException e) {
            return "(no console output: " + e.getMessage() + ")";
        }
    }

    /**
     * The {@code java} that runs irond: from {@code IROND_JAVA_HOME} when set (irond predates current
     * JDKs; this lets it run on the one it does best on), else the benchmark's own.
     */
    private static Path javaFor() throws IOException {
        String javaHome = System.getenv("IROND_JAVA_HOME");
        Path java = Path.of(javaHome == null || javaHome.isBlank() ? System.getProperty("java.home") : javaHome,
                "bin", "java");
        if (!Files.isExecutable(java)) {
            throw new IOException("IROND_JAVA_HOME has no executable bin/java: " + java);
        }
        return java;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The jar or classes folder holding the launcher: irond's process needs only that from us. */
    private static String benchClassPath() {
        try {
            return Path.of(LoopbackLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate baton-bench's classes", e);
        }
    }
}
