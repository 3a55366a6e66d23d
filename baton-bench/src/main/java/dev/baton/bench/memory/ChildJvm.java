package dev.baton.bench.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MemoryChild} in a fresh JVM on this benchmark's {@code java} and class path, talked to by lines: what
 * it says on standard output is read with {@link #expect}, what it is told goes to its standard input. Its
 * standard error goes to this process's. The JVM runs with its defaults (collector, heap sizing): the figures
 * are the live heap after a full collection, which neither changes. Closing tells it {@code quit} and kills it
 * if it has not ended within ten seconds. Not thread safe.
 */
final class ChildJvm implements AutoCloseable {
    private final long started;
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    private ChildJvm(long started, Process process) {
        this.started = started;
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Starts {@code MemoryChild args...}. */
    static ChildJvm start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", "baton-bench-logback.xml"),
                MemoryChild.class.getName()));
        command.addAll(List.of(args));
        long started = System.nanoTime();
        return new ChildJvm(started, new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** The child's process id, for {@link HeapProbe}. */
    long pid() {
        return process.pid();
    }

    /** Milliseconds since this child was started (from just before its process was created). */
    double millisSinceStart() {
        return (System.nanoTime() - started) / 1e6;
    }

    /** Sends one line. */
    void tell(String line) {
        in.println(line);
    }

    /**
     * Reads lines until one starts with {@code word} and returns its words after the first.
     *
     * @throws IOException when the child ends first
     */
    String[] expect(String word) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(word)) {
                String rest = line.substring(word.length()).trim();
                return rest.isEmpty() ? new String[0] : rest.split(" ");
            }
        }
        throw new IOException("memory child ended before saying " + word + " (see its output above)");
    }

    @Override
    public void close() {
        in.println("quit");
        in.close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
