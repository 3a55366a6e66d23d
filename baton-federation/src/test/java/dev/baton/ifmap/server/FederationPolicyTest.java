package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The federation policy file: roles, defaults, quotas, and errors that name the key. */
class FederationPolicyTest {
    @TempDir
    Path dir;

    private FederationPolicy read(String yaml) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, yaml);
        return FederationPolicy.read(file);
    }

    private void refused(String yaml, String expected) {
        assertThatThrownBy(() -> read(yaml)).isInstanceOfSatisfying(BatonException.class, e -> {
            assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION);
            assertThat(e.getMessage()).contains(expected);
        });
    }

    @Test
    void namedClientsGetTheirRoleAndOthersTheDefault() throws Exception {
        FederationPolicy p = read("""
                default-role: reader
                clients:
                  gateway-a: gateway
                  monitor: auditor
                quotas:
                  reader: {max-subscriptions: 5}
                """);
        assertThat(p.rights("gateway-a")).isEqualTo(PublisherRights.GATEWAY);
        assertThat(p.rights("monitor").readSessions()).isTrue();
        assertThat(p.rights("stranger").role()).isEqualTo("reader");
        assertThat(p.rights("stranger").maxSubscriptions()).isEqualTo(5);
        assertThat(p.clientsWithRole("gateway")).containsExactly("gateway-a");
    }

    @Test
    void withoutAFileNoClientIsAGateway() {
        assertThat(FederationPolicy.DEFAULT.rights("gateway-a").publishSessions()).isFalse();
        assertThat(FederationPolicy.DEFAULT.rights("gateway-a").role()).isEqualTo("publisher");
    }

    @Test
    void mistakesAreRefusedNamingTheKey() {
        refused("default-role: gateway\n", "default-role must not be gateway");
        refused("clients:\n  gw: superuser\n", "clients.gw: unknown role 'superuser'");
        refused("client:\n  gw: gateway\n", "unknown key 'client'");
        refused("quotas:\n  publisher: {max-metadata: -1}\n", "quotas.publisher.max-metadata must be a whole number");
        refused("quotas:\n  publisher: {max-subs: 1}\n", "unknown key 'quotas.publisher.max-subs'");
        refused("clients:\n  'bad name': gateway\n", "a client name is");
        refused("- just a list\n", "must be a YAML mapping");
    }
}
