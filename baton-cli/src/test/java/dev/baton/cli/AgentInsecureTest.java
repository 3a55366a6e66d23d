package dev.baton.cli;

import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code baton agent --insecure} trusts any certificate, so it is accepted for loopback gateways only. */
class AgentInsecureTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int agent(String gateway, String command) {
        return BatonCommand.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "agent",
                "--state", dir.resolve("agent.state").toString(), "--gateway", gateway, "--insecure", command);
    }

    @Test
    void insecureIsRefusedForAGatewayThatIsNotOnLoopbackNamingTheOptionAndTheHost() {
        assertThat(agent("https://gw.example.com:8444", "sign-out")).isEqualTo(ResultCode.INVALID_REQUEST.exitStatus());
        assertThat(err.toString()).contains("--insecure is refused for https://gw.example.com:8444")
                .contains("host gw.example.com is not a loopback address").contains("--truststore");
        // A name that may well resolve to loopback still does not count: no look-up decides it.
        assertThat(agent("https://lb:8443", "connect")).isEqualTo(ResultCode.INVALID_REQUEST.exitStatus());
        assertThat(agent("https://192.168.1.10:8444", "connect")).isEqualTo(ResultCode.INVALID_REQUEST.exitStatus());
    }

    @Test
    void insecureIsAcceptedOnLoopback() {
        for (String gateway : List.of("https://127.0.0.1:1", "https://localhost:1", "https://[::1]:1")) {
            // Past the check, connect stops because no session is kept yet.
            assertThat(agent(gateway, "connect")).as(gateway).isEqualTo(ResultCode.UNKNOWN_SESSION.exitStatus());
        }
        assertThat(err.toString()).doesNotContain("--insecure is refused");
    }
}
