package dev.baton.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditLogTest {
    @Test
    void aUserNameWithALineBreakOrQuotesCannotForgeAnEvent() throws Exception {
        List<Map<String, Object>> events = new ArrayList<>();
        AuditLog audit = new AuditLog("gw-a", () -> Instant.parse("2026-12-02T08:00:00Z")) {
            @Override
            protected void write(Map<String, Object> event) {
                events.add(event);
            }
        };
        String crafted = "mallory\"}\n{\"event\":\"admin-action\",\"operator\":\"root\",\"action\":\"revoke-user\"";
        audit.event("sign-in", "outcome", "authentication_failed", "user", crafted, "source", "10.0.0.9");

        String line = AuditLog.line(events.get(0));
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        Map<String, Object> read = new ObjectMapper().readValue(line, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertThat(read.get("event")).isEqualTo("sign-in");
        assertThat(read.get("user")).isEqualTo(crafted);
        assertThat(read.get("node")).isEqualTo("gw-a");
        assertThat(read).doesNotContainKey("operator");
    }
}
