package dev.baton.cli;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.schema.Schema;
import dev.baton.agent.Agent;
import dev.baton.agent.AgentTls;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.gateway.config.GatewayConfigFile;
import dev.baton.gateway.config.GatewaySettings;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A gateway process wired for directory storage (S2, S5): sessions go to LDAP, the purge task runs instead of the SQL cleanup. */
class GatewayOnDirectoryStorageTest {
    @TempDir
    Path dir;

    @Test
    void signInsAreStoredInTheDirectoryUnderTheirHash() throws Exception {
        InMemoryDirectoryServerConfig c = new InMemoryDirectoryServerConfig("dc=baton,dc=test");
        c.addAdditionalBindCredentials("cn=admin,dc=baton,dc=test", "secret");
        try (InputStream schema = getClass().getResourceAsStream("/dev/baton/store/ldap/baton-rfc4512.ldif")) {
            c.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), Schema.getSchema(schema)));
        }
        c.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        InMemoryDirectoryServer ldap = new InMemoryDirectoryServer(c);
        ldap.add("dn: dc=baton,dc=test", "objectClass: dcObject", "objectClass: organization", "o: baton", "dc: baton");
        ldap.startListening();
        IfmapServer federation = IfmapServer.builder().listen("127.0.0.1", 0).users(BasicAuthUsers.of(Map.of("gw", "pw"))).gateways(java.util.List.of("gw"))
                .dataDirectory(dir.resolve("federation")).build().start();
        String yaml = """
                name: gw
                listen: 127.0.0.1:0
                federation: { url: "%s", user: gw, password: pw, trust-all: true }
                storage:
                  type: ldap
                  ldap: { servers: "127.0.0.1:%d", bindDn: "cn=admin,dc=baton,dc=test", password: secret, baseDn: "ou=sessions,dc=baton,dc=test" }
                  purge: { pollingInterval: "1 m", maxUpdatesPerSecond: 50, priorityIndex: 2 }
                roles: { staff: {} }
                realms:
                  - { name: users, auth-group: corp, auth-server: { kind: local, accounts: [ { username: alice, password: pw } ] },
                      role-mapping: [ { when: ["username=*"], roles: [staff] } ] }
                """.formatted(federation.url(), ldap.getListenPort());
        GatewaySettings settings = new GatewayConfigFile().parse(yaml);
        assertThat(settings.storage().directory()).containsEntry("store.ldap.purge.priorityIndex", "2");
        try (GatewayNode node = GatewayNode.start(settings, dir.resolve("gw"), Clock.systemUTC())) {
            Agent agent = new Agent(null, Map.of());
            agent.signIn(new HttpGatewayEndpoint(node.url(), AgentTls.trustAll(), Duration.ofSeconds(10)), "users", "alice", "pw");
            String hash = dev.baton.core.SessionId.hashOf(agent.state().sessionId()).hex();
            assertThat(ldap.search("ou=sessions,dc=baton,dc=test", SearchScope.ONE, "(batonSessionIdHash=" + hash + ")").getEntryCount())
                    .isEqualTo(1);
        } finally {
            federation.stop();
            ldap.shutDown(true);
        }
        assertThatThrownBy(() -> new GatewayConfigFile().parse(yaml.replaceAll("(?m)^  ldap:.*$", "")))
                .hasMessageContaining("storage.ldap: is required for type ldap");
    }
}
