package dev.baton.ifmap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.core.SessionIdHash;
import dev.baton.ifmap.model.ReceivedMetadata;
import dev.baton.ifmap.model.ResultItem;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Xml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A gateway counts only what the owning gateway published, whatever reached the federation server: the
 * second check against a forged session (issue 14, attack 1), which holds even if the server's policy let
 * the forgery in.
 */
class SessionMappingTrustTest {
    private static final SessionIdHash HASH = SessionIdHash.parse("ab".repeat(32));
    private static final String SESSION_XML = "<baton:session xmlns:baton=\"" + Xml.BATON_NS + "\"><user>alice</user>"
            + "<realm>users</realm><auth-server-kind>LOCAL</auth-server-kind><start-time>2026-12-01T00:00:00Z</start-time>"
            + "<last-activity>2026-12-01T00:00:00Z</last-activity><remediation>false</remediation>"
            + "<agent-key>KEY</agent-key></baton:session>";

    private static ReceivedMetadata session(String publisher) {
        return new ReceivedMetadata(Xml.BATON_NS, "session", Map.of("ifmap-publisher-id", publisher), Map.of(), SESSION_XML);
    }

    private static ReceivedMetadata owner(String publisher, String gateway, long generation) {
        return new ReceivedMetadata(Xml.BATON_NS, "session-owner", Map.of("ifmap-publisher-id", publisher,
                "gateway", gateway, "generation", Long.toString(generation)), Map.of(), "");
    }

    private static ReceivedMetadata role(String publisher, String name) {
        return new ReceivedMetadata(Xml.META_NS, "role", Map.of("ifmap-publisher-id", publisher),
                Map.of("name", List.of(name)), "");
    }

    private static List<ResultItem> on(ReceivedMetadata... metadata) {
        return List.of(new ResultItem(Item.of(SessionMapping.accessRequest(HASH)), new ArrayList<>(List.of(metadata))));
    }

    @Test
    void aRecordPublishedByItsOwnerIsRead() {
        FederatedSession s = SessionMapping.read(HASH, on(session("gw-a"), owner("gw-a", "gw-a", 3), role("gw-a", "staff")))
                .orElseThrow();
        assertThat(s.owner()).isEqualTo("gw-a");
        assertThat(s.generation()).isEqualTo(3);
        assertThat(s.roles()).containsExactly("staff");
    }

    @Test
    void anOwnerNamedByAnotherPublisherDoesNotCount() {
        assertThat(SessionMapping.read(HASH, on(session("sensor"), owner("sensor", "gw-a", 1)))).isEmpty();
        assertThat(SessionMapping.read(HASH, on(session("gw-a"), owner("gw-b", "gw-a", 1)))).isEmpty();
    }

    @Test
    void aSessionRecordNotPublishedByTheOwnerDoesNotCount() {
        assertThat(SessionMapping.read(HASH, on(session("sensor"), owner("gw-a", "gw-a", 1)))).isEmpty();
    }

    @Test
    void rolesFromOtherPublishersAreNotImportedAsTheSessionsOwn() {
        FederatedSession s = SessionMapping.read(HASH, on(session("gw-a"), owner("gw-a", "gw-a", 1), role("gw-a", "staff"),
                role("sensor", "admin"), role("gw-b", "auditor"))).orElseThrow();
        assertThat(s.roles()).containsExactly("staff");
    }
}
