package dev.baton.cli;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * <b>Testing only; never in production.</b> A simulated clock: the time a gateway process reads is a base
 * clock (the system clock) plus an offset kept in a file, so end-to-end tests with real processes move
 * time by rewriting that file ({@code baton gateway --simulated-clock-offset-file FILE}).
 *
 * <p>The file holds one offset: an ISO-8601 duration ({@code PT2H}, {@code -PT5M}, {@code PT29M59.5S}) or a
 * whole number of milliseconds ({@code 7200000}), surrounded by optional white space. It is read once when
 * the clock is opened, so a missing file or bad content stops the gateway at start, and then again only
 * when its modification time, size or file key changes (one {@code stat} per reading of the clock). Bad
 * content written later makes every reading of the clock fail with a {@link ResultCode#CONFIGURATION} error
 * naming the file until it is fixed. Write the file atomically (write a temporary file, then move it over
 * the old one) so a reader never sees it half written.
 *
 * <p>Thread-safe.
 */
final class SimulatedClockOffset implements InstantSource {
    /** Content longer than this is not an offset; it is not read whole, and not echoed whole in errors. */
    private static final int MAX_CONTENT = 200;

    private final Path file;
    private final InstantSource base;
    private volatile Reading last;

    private SimulatedClockOffset(Path file, InstantSource base) {
        this.file = Objects.requireNonNull(file, "file");
        this.base = Objects.requireNonNull(base, "base");
    }

    /**
     * Opens the clock and reads the offset once.
     *
     * @throws BatonException {@link ResultCode#CONFIGURATION} if the file cannot be read or holds no offset
     */
    static SimulatedClockOffset open(Path file, InstantSource base) {
        SimulatedClockOffset clock = new SimulatedClockOffset(file, base);
        clock.offset();
        return clock;
    }

    /**
     * The clock a command runs on: the system clock, or with {@code file} (its {@code --simulated-clock-offset-file})
     * the simulated one, announced with a loud warning naming {@code who} uses it.
     */
    static InstantSource forCommand(Path file, String who) {
        if (file == null) {
            return java.time.Clock.systemUTC();
        }
        SimulatedClockOffset clock = open(file, java.time.Clock.systemUTC());
        org.slf4j.LoggerFactory.getLogger(SimulatedClockOffset.class).warn("SIMULATED CLOCK, FOR TESTS ONLY, NEVER IN PRODUCTION: "
                + "{} reads time as the system clock plus the offset in {} (now {}, so the time is {}); every session deadline "
                + "follows that file", who, file.toAbsolutePath(), clock.offset(), clock.instant());
        return clock;
    }

    /** The file the offset is read from. */
    Path file() {
        return file;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset());
    }

    /**
     * The offset in the file now; re-read only when the file changed since the last reading.
     *
     * @throws BatonException {@link ResultCode#CONFIGURATION} if the file cannot be read or holds no offset
     */
    Duration offset() {
        Stamp stamp = stamp();
        Reading r = last;
        if (r != null && r.stamp().equals(stamp)) {
            return r.offset();
        }
        Duration offset = parse(read(), file);
        last = new Reading(stamp, offset);
        return offset;
    }

    /**
     * Parses an offset: an ISO-8601 duration or a whole number of milliseconds.
     *
     * @param file named in the error
     * @throws BatonException {@link ResultCode#CONFIGURATION} naming the file and the content
     */
    static Duration parse(String content, Path file) {
        String text = content.strip();
        if (text.isEmpty()) {
            throw bad(file, "is empty; write an offset such as PT2H, -PT5M or 7200000 (milliseconds)", null);
        }
        if (text.matches("[+-]?\\d{1,18}")) {
            return Duration.ofMillis(Long.parseLong(text));
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw bad(file, "'" + shown + "' is neither an ISO-8601 duration (PT2H, -PT5M, PT29M59.5S) nor a whole number of milliseconds", e);
        }
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (IOException e) {
            throw bad(file, "cannot be read: " + e, e);
        }
    }

    private String read() {
        try (var in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_CONTENT + 1);
            if (bytes.length > MAX_CONTENT) {
                throw bad(file, "holds more than " + MAX_CONTENT + " bytes; it should hold one offset such as PT2H", null);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw bad(file, "cannot be read: " + e, e);
        }
    }

    private static BatonException bad(Path file, String what, Throwable cause) {
        return new BatonException(ResultCode.CONFIGURATION, "simulated clock offset file " + file + " " + what, cause);
    }

    @Override
    public String toString() {
        return "SimulatedClockOffset[" + base + " + offset in " + file + "]";
    }

    /** What tells one version of the file from another without reading it. */
    private record Stamp(FileTime modified, long size, Object fileKey) {
    }

    private record Reading(Stamp stamp, Duration offset) {
    }
}
