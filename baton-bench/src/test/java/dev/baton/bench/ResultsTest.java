package dev.baton.bench;

import dev.baton.core.BatonException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultsTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Results results = new Results(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void figureIsOneResultLineRoundedToFourDecimals() {
        results.figure("irond.publish.single_per_second", 412.345678);
        results.figure("irond.poll_latency.samples", 2000);

        assertThat(printed()).isEqualTo("""
                RESULT irond.publish.single_per_second=412.3457
                RESULT irond.poll_latency.samples=2000
                """);
    }

    @Test
    void smallLatenciesAreWrittenInPlainDecimalNotation() {
        results.figure("baton.search.p50_ms", 0.00004);
        results.figure("baton.search.p99_ms", 1.5e7);

        assertThat(printed()).isEqualTo("RESULT baton.search.p50_ms=0\nRESULT baton.search.p99_ms=15000000\n");
    }

    @Test
    void ratioIsBatonDividedByPeerUnderTheAgreedName() {
        results.ratio("publish", "irond", 1200, 400);
        results.ratio("poll_latency", "irond", 1, 5);

        assertThat(printed()).isEqualTo("""
                RESULT ratio.publish.baton_vs_irond=3
                RESULT ratio.poll_latency.baton_vs_irond=0.2
                """);
    }

    @Test
    void ratioAgainstAZeroPeerFigureIsRefusedRatherThanPrintedAsInfinity() {
        assertThatThrownBy(() -> results.ratio("publish", "irond", 10, 0))
                .isInstanceOf(BatonException.class).hasMessageContaining("ratio publish");
        assertThat(printed()).isEmpty();
    }

    @Test
    void stateIsAResultLineWithAWord() {
        results.state("peer.irond", "absent");

        assertThat(printed()).isEqualTo("RESULT peer.irond=absent\n");
    }

    @Test
    void malformedNamesAndValuesAreRefusedWithTheOffendingText() {
        assertThatThrownBy(() -> results.figure("Irond publish", 1)).hasMessageContaining("Irond publish");
        assertThatThrownBy(() -> results.figure("irond..x", 1)).hasMessageContaining("irond..x");
        assertThatThrownBy(() -> results.figure("irond.x", Double.NaN)).hasMessageContaining("irond.x");
        assertThatThrownBy(() -> results.state("peer.irond", "not there")).hasMessageContaining("not there");
        assertThat(printed()).isEmpty();
    }

    @Test
    void notesAreCommentLinesOnOneLine() {
        results.note("irond: IROND_HOME is not set\nsecond line");

        assertThat(printed()).isEqualTo("# irond: IROND_HOME is not set second line\n");
    }
}
