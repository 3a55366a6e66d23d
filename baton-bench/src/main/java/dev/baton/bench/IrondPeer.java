package dev.baton.bench;

import dev.baton.bench.loopback.LoopbackLauncher;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * irond, the reference IF-MAP 2.x server, as a child process ({@link ChildServer}) on a free loopback
 * port, configured from a private copy of {@code IROND_HOME} (see {@link IrondHome}). Its console output
 * goes to {@code irond.out} in that copy and is shown when it fails to start. Closing stops the process
 * (TERM, then KILL after five seconds) and deletes the copy.
 */
final class IrondPeer implements FederationUnderTest {
    private final ChildServer process;
    private final Path workDir;

    private IrondPeer(ChildServer process, Path workDir) {
        this.process = process;
        this.workDir = workDir;
    }

    /**
     * Starts irond from {@code home} and waits until it accepts connections.
     *
     * @throws IOException when it cannot be started or does not listen within a minute; the message
     *                     carries the end of its console output
     */
    static IrondPeer start(IrondHome home) throws IOException, InterruptedException {
        Path workDir = Files.createTempDirectory("baton-bench-irond-");
        try {
            int port = ChildServer.freeLoopbackPort();
            home.prepare(workDir, port, PUBLISHER, SUBSCRIBER);
            String classPath = String.join(File.pathSeparator, workDir.toString(), home.jar().toString(), benchClassPath());
            List<String> command = List.of(javaFor().toString(),
                    "-cp", classPath, LoopbackLauncher.class.getName(), home.mainClass());
            return new IrondPeer(ChildServer.start("irond", command, workDir, port), workDir);
        } catch (IOException | InterruptedException | RuntimeException e) {
            IrondHome.deleteTree(workDir);
            throw e;
        }
    }

    @Override
    public String name() {
        return "irond";
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint(process.url(), PUBLISHER, SUBSCRIBER);
    }

    @Override
    public Optional<String> consoleSummary() {
        return Optional.of(process.consoleSummary());
    }

    /** irond's process id, for measuring its heap ({@code jcmd PID GC.class_histogram}). */
    long pid() {
        return process.pid();
    }

    /** The private configuration copy irond runs in (its working directory). */
    Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        process.close();
        IrondHome.deleteTree(workDir);
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

    /** The jar or classes folder holding the launcher: irond's process needs only that from us. */
    private static String benchClassPath() {
        try {
            return Path.of(LoopbackLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate baton-bench's classes", e);
        }
    }
}
