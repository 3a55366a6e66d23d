package dev.baton.agent;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentStateTest {
    @TempDir
    Path dir;

    @Test
    void stateSurvivesARestartInAnOwnerOnlyFile() throws Exception {
        Path file = dir.resolve("agent.state");
        new AgentState("x".repeat(43), "gateway-a", "pub", "priv").save(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Agent rebooted = new Agent(file, Map.of());
        assertThat(rebooted.state().sessionId()).isEqualTo("x".repeat(43));
        assertThat(rebooted.lastGateway()).contains("gateway-a");
        assertThat(rebooted.state().privateKey()).isEqualTo("priv");
        assertThat(rebooted.state().toString()).doesNotContain("xxxx");
    }

    @Test
    void anAgentWithoutASessionSaysSo() {
        Agent agent = new Agent(dir.resolve("none"), Map.of());
        assertThatThrownBy(() -> agent.access(null)).isInstanceOf(BatonException.class)
                .hasMessageContaining("holds no session").extracting(e -> ((BatonException) e).code()).isEqualTo(ResultCode.UNKNOWN_SESSION);
    }
}
