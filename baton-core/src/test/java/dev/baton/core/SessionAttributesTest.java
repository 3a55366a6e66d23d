package dev.baton.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A session's attributes: frozen, in name order, equal to any map with the same entries. */
class SessionAttributesTest {
    private static Session with(Map<String, List<String>> attributes) {
        return Session.start(SessionId.generate().hash(), "alice", "users", new AuthGroup("corp"), AuthServerKind.LDAP,
                Set.of("staff"), attributes, Instant.EPOCH, "gw-a");
    }

    @Test
    void attributesIterateInNameOrderAndAnswerLookUps() {
        Map<String, List<String>> in = new HashMap<>(Map.of("mail", List.of("a@example.org"), "department",
                List.of("sales"), "memberOf", List.of("cn=staff", "cn=vpn")));
        Map<String, List<String>> attributes = with(in).attributes();
        assertThat(attributes.keySet()).containsExactly("department", "mail", "memberOf");
        assertThat(attributes).isEqualTo(in).hasSameHashCodeAs(in);
        assertThat(attributes.get("memberOf")).containsExactly("cn=staff", "cn=vpn");
        assertThat(attributes.get("absent")).isNull();
        assertThat(attributes.get(42)).isNull();
        assertThat(attributes.getOrDefault("absent", List.of())).isEmpty();
        assertThat(attributes.containsKey("mail")).isTrue();
        assertThat(attributes.toString()).isEqualTo("{department=[sales], mail=[a@example.org], memberOf=[cn=staff, cn=vpn]}");
    }

    @Test
    void attributesCannotBeChangedThroughAnyView() {
        Map<String, List<String>> attributes = with(Map.of("mail", List.of("a@example.org"))).attributes();
        assertThatThrownBy(() -> attributes.put("x", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> attributes.remove("mail")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(attributes::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> attributes.keySet().remove("mail")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> attributes.entrySet().iterator().next().setValue(List.of()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> attributes.get("mail").add("b@example.org")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(attributes).containsEntry("mail", List.of("a@example.org"));
    }

    @Test
    void changedSessionsShareTheirAttributesAndNoAttributesIsEmpty() {
        Session s = with(Map.of("mail", List.of("a@example.org")));
        assertThat(s.touchedAt(Instant.EPOCH.plusSeconds(1)).attributes()).isSameAs(s.attributes());
        assertThat(with(Map.of()).attributes()).isEmpty();
        assertThat(s).isEqualTo(new Session(s.hash(), s.user(), s.realm(), s.authGroup(), s.authServerKind(), s.roles(),
                Map.of("mail", List.of("a@example.org")), s.startTime(), s.lastActivity(), s.lastHeartbeat(), s.owner(),
                s.remediation(), s.agentKey()));
    }
}
