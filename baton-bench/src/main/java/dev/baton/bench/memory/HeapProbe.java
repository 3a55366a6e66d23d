package dev.baton.bench.memory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Live heap of another JVM, as {@code jcmd PID GC.class_histogram} reports it: that command runs a full collection
 * first and then counts only reachable objects, so its total is the live heap, free of garbage and of the
 * collector's sizing decisions. Works on any HotSpot JVM the given {@code jcmd} can attach to (same user).
 * Stateless.
 */
public final class HeapProbe {
    private HeapProbe() {
    }

    /** One class's share of the live heap. */
    public record ClassShare(String className, long instances, long bytes) {
    }

    /** A histogram: the live heap's total bytes and its largest classes, largest first. */
    public record Histogram(long totalBytes, long totalInstances, List<ClassShare> top) {
        /** The bytes of {@code className} in this histogram, 0 if it is not among the top classes. */
        long bytesOf(String className) {
            return top.stream().filter(c -> c.className().equals(className)).mapToLong(ClassShare::bytes).sum();
        }
    }

    /** The {@code jcmd} of the JDK at {@code javaHome}. */
    public static Path jcmdOf(String javaHome) {
        return Path.of(javaHome, "bin", "jcmd");
    }

    /** The {@code jcmd} of the JDK this benchmark runs on. */
    public static Path jcmd() {
        return jcmdOf(System.getProperty("java.home"));
    }

    /**
     * Takes the live-heap histogram of process {@code pid} (a full collection first), keeping its {@code topN}
     * largest classes.
     *
     * @throws IOException when jcmd fails or its output has no total line
     */
    public static Histogram histogram(Path jcmd, long pid, int topN) throws IOException, InterruptedException {
        Path out = Files.createTempFile("baton-bench-histogram-", ".txt");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("jcmd " + pid + " GC.class_histogram did not answer within 10 minutes");
            }
            return parse(Files.readAllLines(out, StandardCharsets.UTF_8), topN);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Reads jcmd's histogram lines ({@code "  1:  123  4567  java.lang.String (java.base)"}, then {@code Total}). */
    static Histogram parse(List<String> lines, int topN) throws IOException {
        List<ClassShare> top = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].equals("Total")) {
                return new Histogram(Long.parseLong(f[2]), Long.parseLong(f[1]), List.copyOf(top));
            }
            if (f.length >= 4 && f[0].endsWith(":") && top.size() < topN) {
                top.add(new ClassShare(f[3], Long.parseLong(f[1]), Long.parseLong(f[2])));
            }
        }
        throw new IOException("jcmd's histogram has no Total line: " + String.join(" | ", lines.subList(0, Math.min(5, lines.size()))));
    }

    /**
     * Where the bytes per session went between {@code before} and {@code after}: the classes of {@code after}'s
     * top whose bytes grew, per session, as {@code class=bytes/session} separated by commas.
     */
    public static String growthPerSession(Histogram before, Histogram after, long sessions, int limit) {
        StringBuilder out = new StringBuilder();
        after.top().stream().limit(limit).forEach(c -> {
            double per = (double) (c.bytes() - before.bytesOf(c.className())) / sessions;
            if (per >= 1) {
                out.append(out.isEmpty() ? "" : ", ").append(c.className()).append('=').append(Math.round(per));
            }
        });
        return out.toString();
    }
}
