package dev.baton.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** How a throwaway server ends: its process stopped by PID, its temporary folder deleted. */
final class ThrowawayProcess {
    private ThrowawayProcess() {
    }

    /** Whether the process is still running. */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Stops the process (SIGTERM, then SIGKILL of it and its descendants after 10 s) and deletes {@code dir}; a leftover
     * temporary folder is harmless, so failing to delete it is not an error.
     */
    static void stop(long pid, Path dir) {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            }
        });
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
