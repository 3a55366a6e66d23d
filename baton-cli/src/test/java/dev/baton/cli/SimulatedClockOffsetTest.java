package dev.baton.cli;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The testing-only clock of {@code baton gateway --simulated-clock-offset-file}: base clock plus the offset in a file. */
class SimulatedClockOffsetTest {
    static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

    @TempDir
    Path dir;

    final AtomicReference<Instant> base = new AtomicReference<>(T0);
    final InstantSource baseClock = base::get;

    Path offsetFile(String content) throws IOException {
        Path file = dir.resolve("offset");
        replace(file, content);
        return file;
    }

    /** Replaces the file atomically, as tests that move time should. */
    static void replace(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "offset", ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static ResultCode codeOf(Throwable t) {
        return ((BatonException) t).code();
    }

    @Test
    void theTimeIsTheBaseClockPlusTheOffsetInTheFile() throws IOException {
        SimulatedClockOffset clock = SimulatedClockOffset.open(offsetFile("PT2H30M\n"), baseClock);
        assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofMinutes(150)));

        base.set(T0.plusSeconds(7)); // the base clock runs on; the offset stays
        assertThat(clock.instant()).isEqualTo(T0.plusSeconds(7).plus(Duration.ofMinutes(150)));
        assertThat(clock.millis()).isEqualTo(T0.plusSeconds(7).plus(Duration.ofMinutes(150)).toEpochMilli());
    }

    @Test
    void offsetsMayBeIsoDurationsOrMillisecondsAndNegative() throws IOException {
        Path file = dir.resolve("any");
        for (var c : new Object[][] {{"PT0S", Duration.ZERO}, {"  -PT5M  ", Duration.ofMinutes(-5)}, {"PT29M59.5S", Duration.ofMillis(1_799_500)},
                {"P1DT1H", Duration.ofHours(25)}, {"7200000", Duration.ofHours(2)}, {"-1500", Duration.ofMillis(-1500)}, {"+250", Duration.ofMillis(250)}}) {
            replace(file, (String) c[0]);
            assertThat(SimulatedClockOffset.open(file, baseClock).instant()).as((String) c[0]).isEqualTo(T0.plus((Duration) c[1]));
        }
    }

    @Test
    void rewritingTheFileMovesTimeAtTheNextReading() throws IOException {
        Path file = offsetFile("PT0S");
        SimulatedClockOffset clock = SimulatedClockOffset.open(file, baseClock);
        assertThat(clock.instant()).isEqualTo(T0);

        replace(file, "PT29M");
        assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofMinutes(29)));

        replace(file, "PT8H"); // a rewrite in place (same inode) is picked up as well
        Files.writeString(file, "PT10H");
        assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofHours(10)));
    }

    @Test
    void anUnchangedFileIsNotReadAgain() throws IOException {
        Path file = offsetFile("PT1H");
        SimulatedClockOffset clock = SimulatedClockOffset.open(file, baseClock);
        // New content of the same size in the same file, with the old modification time: not noticed (the clock stats, it does not read).
        var stamp = Files.getLastModifiedTime(file);
        Files.writeString(file, "PT9H");
        Files.setLastModifiedTime(file, stamp);
        assertThat(Files.size(file)).isEqualTo(4);
        assertThat(clock.instant()).as("same modification time, size and file: the cached offset").isEqualTo(T0.plus(Duration.ofHours(1)));
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(stamp.toInstant().plusSeconds(1)));
        assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofHours(9)));
    }

    @Test
    void badContentIsAClearErrorNamingTheFile() throws IOException {
        for (String bad : new String[] {"", "  \n", "two hours", "PT2X", "2h", "1 2"}) {
            Path file = offsetFile(bad);
            assertThatThrownBy(() -> SimulatedClockOffset.open(file, baseClock)).as("'" + bad + "'")
                    .hasMessageContaining("simulated clock offset file " + file)
                    .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.CONFIGURATION));
        }
        Path file = offsetFile("two hours");
        assertThatThrownBy(() -> SimulatedClockOffset.open(file, baseClock))
                .hasMessage("simulated clock offset file " + file + " 'two hours' is neither an ISO-8601 duration (PT2H, -PT5M, PT29M59.5S)"
                        + " nor a whole number of milliseconds");
        assertThatThrownBy(() -> SimulatedClockOffset.open(offsetFile(""), baseClock)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> SimulatedClockOffset.open(offsetFile("PT1H".repeat(100)), baseClock)).hasMessageContaining("more than 200 bytes");
    }

    @Test
    void badContentWrittenLaterFailsEveryReadingUntilFixed() throws IOException {
        Path file = offsetFile("PT1H");
        SimulatedClockOffset clock = SimulatedClockOffset.open(file, baseClock);
        replace(file, "soon");
        assertThatThrownBy(clock::instant).hasMessageContaining("simulated clock offset file " + file + " 'soon' is neither");
        assertThatThrownBy(clock::instant).hasMessageContaining("'soon'");
        replace(file, "PT2H");
        assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofHours(2)));
    }

    @Test
    void aMissingFileIsAClearErrorNamingIt() throws IOException {
        Path missing = dir.resolve("no-such-offset");
        assertThatThrownBy(() -> SimulatedClockOffset.open(missing, baseClock))
                .hasMessageContaining("simulated clock offset file " + missing + " cannot be read")
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ResultCode.CONFIGURATION));

        Path file = offsetFile("PT1H");
        SimulatedClockOffset clock = SimulatedClockOffset.open(file, baseClock);
        Files.delete(file);
        assertThatThrownBy(clock::instant).hasMessageContaining("simulated clock offset file " + file + " cannot be read");
    }

    @Test
    void theGatewayCommandRefusesABadOffsetFileBeforeStartingAnything() throws IOException {
        Path config = dir.resolve("gw.yaml");
        Files.writeString(config, """
                name: gw
                listen: 127.0.0.1:0
                federation: { url: "https://127.0.0.1:1", user: gw, password: pw, trust-all: true }
                storage: { type: memory }
                roles: { staff: {} }
                realms:
                  - { name: users, auth-group: corp, auth-server: { kind: local, accounts: [ { username: alice, password: pw } ] },
                      role-mapping: [ { when: ["username=*"], roles: [staff] } ] }
                """);
        Path offset = offsetFile("an hour later");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = BatonCommand.execute(new PrintWriter(out), new PrintWriter(err), "gateway", "--config", config.toString(),
                "--data-dir", dir.resolve("data").toString(), "--simulated-clock-offset-file", offset.toString());
        assertThat(status).isEqualTo(ResultCode.CONFIGURATION.exitStatus());
        assertThat(err.toString()).contains("CONFIGURATION: simulated clock offset file " + offset + " 'an hour later' is neither");
        assertThat(out.toString()).doesNotContain("listening on");
    }
}
