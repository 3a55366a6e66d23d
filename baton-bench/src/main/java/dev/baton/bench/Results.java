package dev.baton.bench;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.regex.Pattern;

/**
 * Writes a benchmark's figures in the one format tools read: a line {@code RESULT name=value} per figure,
 * and {@code RESULT ratio.NAME.baton_vs_PEER=value} per comparison with a peer. Free-text lines (progress,
 * reasons) go to the same stream prefixed with {@code #} so that readers can skip them.
 *
 * <p>Names are lower-case dotted words ({@code irond.publish.single_per_second}); values are numbers
 * written with at most four significant decimals past the point, or a bare word such as {@code absent}.
 * Not thread safe: one benchmark thread writes results.
 */
public final class Results {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");
    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9_]*");

    private final PrintStream out;

    /** Writes to {@code out}, flushing after every line so that a killed bench loses nothing. */
    public Results(PrintStream out) {
        this.out = out;
    }

    /** Writes {@code RESULT name=value} for a measured number; NaN and infinities are refused. */
    public void figure(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "result " + name + " is not a finite number: " + value);
        }
        line(name, format(value));
    }

    /** Writes {@code RESULT name=word} for a state such as {@code present} or {@code absent}. */
    public void state(String name, String word) {
        if (!WORD.matcher(word).matches()) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "result " + name + " has a malformed word value: " + word);
        }
        line(name, word);
    }

    /**
     * Writes {@code RESULT ratio.NAME.baton_vs_PEER=baton/peer}. For throughput a ratio above 1 favours
     * Baton, for latency one below 1 does; the caller names the figure so that a reader can tell which.
     */
    public void ratio(String name, String peer, double baton, double peerValue) {
        ratio(name, "baton", peer, baton, peerValue);
    }

    /**
     * Writes {@code ratio.NAME.SUBJECT_vs_PEER=subject/peer}, for comparisons other than Baton against a
     * peer (Baton's server process against Baton in-process, say).
     */
    public void ratio(String name, String subject, String peer, double subjectValue, double peerValue) {
        if (peerValue <= 0 || subjectValue < 0) {
            throw new BatonException(ResultCode.INVALID_REQUEST,
                    "ratio " + name + " needs a positive peer figure and a non-negative " + subject + " figure, got "
                            + subjectValue + " and " + peerValue);
        }
        figure("ratio." + name + "." + subject + "_vs_" + peer, subjectValue / peerValue);
    }

    /** Writes a free-text line {@code # text}, for progress and for why something was not measured. */
    public void note(String text) {
        out.println("# " + text.replace('\n', ' '));
        out.flush();
    }

    /** Formats a figure: plain decimal notation, four decimals at most, trailing zeros dropped. */
    static String format(double value) {
        BigDecimal decimal = new BigDecimal(value, MathContext.DECIMAL64).setScale(4, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros();
        return decimal.scale() < 0 ? decimal.setScale(0).toPlainString() : decimal.toPlainString();
    }

    private void line(String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw new BatonException(ResultCode.INVALID_REQUEST,
                    "result name must be lower-case dotted words, got: " + name);
        }
        out.println("RESULT " + name + "=" + value);
        out.flush();
    }
}
