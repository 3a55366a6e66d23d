package dev.baton.core;


import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: a whole number and a unit, with or without a blank between,
 * such as {@code "10 m"}, {@code "3 w"}, {@code "500ms"}, {@code "2 hours"}.
 *
 * <p>Units: {@code ms}, {@code s}/{@code sec}/{@code seconds}, {@code m}/{@code min}/{@code minutes},
 * {@code h}/{@code hours}, {@code d}/{@code days}, {@code w}/{@code weeks} (singular forms too). Case is
 * ignored except that {@code M} is refused, as it could mean months.
 */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,12})\\s*([A-Za-z]+)\\s*");
    private static final Map<String, Duration> UNITS = Map.ofEntries(
            Map.entry("ms", Duration.ofMillis(1)), Map.entry("millis", Duration.ofMillis(1)),
            Map.entry("s", Duration.ofSeconds(1)), Map.entry("sec", Duration.ofSeconds(1)),
            Map.entry("second", Duration.ofSeconds(1)), Map.entry("seconds", Duration.ofSeconds(1)),
            Map.entry("m", Duration.ofMinutes(1)), Map.entry("min", Duration.ofMinutes(1)),
            Map.entry("minute", Duration.ofMinutes(1)), Map.entry("minutes", Duration.ofMinutes(1)),
            Map.entry("h", Duration.ofHours(1)), Map.entry("hour", Duration.ofHours(1)),
            Map.entry("hours", Duration.ofHours(1)),
            Map.entry("d", Duration.ofDays(1)), Map.entry("day", Duration.ofDays(1)),
            Map.entry("days", Duration.ofDays(1)),
            Map.entry("w", Duration.ofDays(7)), Map.entry("week", Duration.ofDays(7)),
            Map.entry("weeks", Duration.ofDays(7)));

    /** Longer than any sensible offset or interval, and far from overflowing {@link java.time.Instant} arithmetic. */
    private static final Duration MAX = Duration.ofDays(36_500);

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @param key the configuration key, named in the error
     * @throws BatonException {@link ResultCode#CONFIGURATION} naming {@code key} and the accepted form
     */
    public static Duration parse(String key, String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches() || m.group(2).equals("M")) {
            throw invalid(key, text);
        }
        Duration unit = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) {
            throw invalid(key, text);
        }
        Duration d = unit.multipliedBy(Long.parseLong(m.group(1)));
        if (d.compareTo(MAX) > 0) {
            throw new BatonException(ResultCode.CONFIGURATION, key + " is too large (at most 100 years): '" + text + "'");
        }
        return d;
    }

    /** The shortest exact form {@link #parse} reads back, e.g. {@code "3 w"}, {@code "90 s"}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        for (String unit : new String[]{"w", "d", "h", "m", "s"}) {
            long size = UNITS.get(unit).toMillis();
            if (ms != 0 && ms % size == 0) {
                return ms / size + " " + unit;
            }
        }
        return ms + " ms";
    }

    private static BatonException invalid(String key, String text) {
        return new BatonException(ResultCode.CONFIGURATION, key + " must be a whole number and a unit"
                + " (ms, s, m, h, d or w), such as \"10 m\" or \"3 w\"; got '" + text + "'");
    }
}
