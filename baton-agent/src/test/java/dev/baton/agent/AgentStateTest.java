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
    void theDefaultStateFileFollowsTheHomeVariableNotThePasswordDatabase() {
        // Regression: the default came from Java's user.home, so two agents started with two HOMEs shared one file.
        assertThat(AgentState.defaultFile(Map.of("HOME", dir.resolve("a").toString()))).isEqualTo(dir.resolve("a/.baton/agent.state"));
        assertThat(AgentState.defaultFile(Map.of("HOME", dir.resolve("b").toString()))).isEqualTo(dir.resolve("b/.baton/agent.state"));
        assertThat(AgentState.defaultFile(Map.of())).isEqualTo(Path.of(System.getProperty("user.home"), ".baton", "agent.state"));
        assertThat(AgentState.defaultFile(Map.of("HOME", " "))).isEqualTo(Path.of(System.getProperty("user.home"), ".baton", "agent.state"));
    }

    @Test
    void twoAgentsWithTwoStateFoldersKeepTheirOwnSessions() {
        Path a = AgentState.defaultFile(Map.of("HOME", dir.resolve("a").toString()));
        Path b = AgentState.defaultFile(Map.of("HOME", dir.resolve("b").toString()));
        new AgentState("a".repeat(43), "gateway-a", "pub-a", "priv-a").save(a);
        new AgentState("b".repeat(43), "gateway-b", "pub-b", "priv-b").save(b);
        assertThat(new Agent(a, Map.of()).state().sessionId()).isEqualTo("a".repeat(43));
        assertThat(new Agent(b, Map.of()).state().sessionId()).isEqualTo("b".repeat(43));
    }

    @Test
    void anAgentWithoutASessionSaysSo() {
        Agent agent = new Agent(dir.resolve("none"), Map.of());
        assertThatThrownBy(() -> agent.access(null)).isInstanceOf(BatonException.class)
                .hasMessageContaining("holds no session").extracting(e -> ((BatonException) e).code()).isEqualTo(ResultCode.UNKNOWN_SESSION);
    }
}
