package dev.baton.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The test's side of the gateways' simulated clock ({@code baton gateway --simulated-clock-offset-file}): the
 * gateways given this file read the system clock plus the offset in it, so a test moves their time by
 * rewriting it. Time keeps running from where it was moved to, as real time does.
 */
final class SimulatedClock {
    private final Path file;
    private volatile Duration offset = Duration.ZERO;

    /** Creates the file with no offset: the gateways start at the real time. */
    SimulatedClock(Path file) {
        this.file = file.toAbsolutePath();
        set(Duration.ZERO);
    }

    Path file() {
        return file;
    }

    /** The time the gateways read now. */
    Instant now() {
        return Instant.now().plus(offset);
    }

    /** Moves the gateways' time to {@code target}; it runs on from there. */
    void moveTo(Instant target) {
        set(Duration.between(Instant.now(), target));
    }

    /** Writes the offset atomically, so a gateway never reads half of it. */
    private void set(Duration next) {
        try {
            Path tmp = Files.createTempFile(file.getParent(), "simulated-clock", ".tmp");
            Files.writeString(tmp, next.toString());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            offset = next;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
