package dev.baton.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The lines an operator follows at the default log level: one per sign-in, migration in and out, session end and
 * refusal, on the logger {@value #LOGGER} (INFO by default, {@code BATON_EVENT_LOG_LEVEL}). Sessions appear by
 * their hash, never their id; user names made safe ({@code LogSafe}).
 *
 * <p>It does not flood: at most {@link #LINES_PER_SECOND} lines are written in any second of the gateway's clock;
 * events past that are only counted, and a summary line per {@link #SUMMARY_INTERVAL} says how many of each kind
 * were not written one by one ("rate limit"), so a gateway taking thousands of sign-ins a second writes at most
 * that many lines plus one summary. The summary is written by the next event after the interval or by
 * {@link #flush} (the gateway's maintenance timer). Thread-safe: one lock, held for a few arithmetic steps.
 */
final class EventLog {
    /** The logger's name, as Logback configurations name it. */
    static final String LOGGER = "baton.events";
    /** Lines written one by one in any second at most. */
    static final int LINES_PER_SECOND = 20;
    /** How often a summary of the events not written one by one is written, at most. */
    static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(10);

    /** What an event line is about. */
    enum Kind {
        SIGN_IN("sign-ins"), MIGRATION_IN("migrations in"), MIGRATION_OUT("migrations out"), END("session ends"),
        REFUSAL("refusals");

        private final String plural;

        Kind(String plural) {
            this.plural = plural;
        }
    }

    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("[\\p{Cntrl}\u2028\u2029]");

    private final Logger log;
    private final String gateway;
    private final InstantSource clock;
    private final Map<Kind, Long> skipped = new EnumMap<>(Kind.class); // guarded by this
    private long second = Long.MIN_VALUE; // guarded by this
    private int written; // guarded by this
    private Instant summaryDue; // guarded by this
    private Instant since; // guarded by this: the first event not written since the last summary

    EventLog(String gateway, InstantSource clock) {
        this(LoggerFactory.getLogger(LOGGER), gateway, clock);
    }

    EventLog(Logger log, String gateway, InstantSource clock) {
        this.log = log;
        this.gateway = gateway;
        this.clock = clock;
    }

    /** Writes one event line ({@code format} with SLF4J's {@code {}}), or counts it when this second's lines are used. */
    void info(Kind kind, String format, Object... args) {
        if (!log.isInfoEnabled()) {
            return;
        }
        String summary;
        boolean write;
        synchronized (this) {
            Instant now = clock.instant();
            summary = summaryIfDue(now);
            long s = now.getEpochSecond();
            if (s != second) {
                second = s;
                written = 0;
            }
            write = written < LINES_PER_SECOND;
            if (write) {
                written++;
            } else {
                skipped.merge(kind, 1L, Long::sum);
                if (summaryDue == null) {
                    summaryDue = now.plus(SUMMARY_INTERVAL);
                    since = now;
                }
            }
        }
        if (summary != null) {
            log.info(summary);
        }
        if (write) {
            for (int i = 0; i < args.length; i++) { // messages may quote what a request said: no line breaks into the log
                args[i] = args[i] instanceof String text ? CONTROL.matcher(text).replaceAll("?") : args[i];
            }
            log.info(format, args);
        }
    }

    /** Writes the summary of events not written one by one, if one is due. */
    void flush() {
        String summary;
        synchronized (this) {
            summary = summaryIfDue(clock.instant());
        }
        if (summary != null) {
            log.info(summary);
        }
    }

    private String summaryIfDue(Instant now) {
        if (summaryDue == null || now.isBefore(summaryDue)) {
            return null;
        }
        long total = skipped.values().stream().mapToLong(Long::longValue).sum();
        String line = "gateway " + gateway + ": " + total + " events since " + since + " not logged one by one (rate limit "
                + LINES_PER_SECOND + " lines/s): "
                + skipped.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().plural).collect(Collectors.joining(", "));
        skipped.clear();
        summaryDue = null;
        return line;
    }
}
