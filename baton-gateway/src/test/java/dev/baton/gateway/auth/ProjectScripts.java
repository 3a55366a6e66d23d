package dev.baton.gateway.auth;

import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the project's own {@code scripts/*.sh} (found by walking up from the working directory) for tests. */
final class ProjectScripts {
    private ProjectScripts() {
    }

    /** Fails the test, or aborts it (skip) when {@code -Dbaton.allowSkip=true}. */
    static void unavailable(String why) {
        if (Boolean.getBoolean("baton.allowSkip")) {
            throw new TestAbortedException(why);
        }
        throw new IllegalStateException(why + " (set -Dbaton.allowSkip=true to skip instead)");
    }

    /** Whether a command is on the PATH or in the usual sbin folders. */
    static boolean installed(String command) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        return dirs.stream().filter(d -> !d.isEmpty()).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    /** Runs {@code scripts/NAME args...}; returns its output, or fails with it. */
    static String run(String name, String... args) throws IOException, InterruptedException {
        Path script = locate(name);
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within 60 s: " + out);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    private static Path locate(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    /** Deletes a temporary folder tree. */
    static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
