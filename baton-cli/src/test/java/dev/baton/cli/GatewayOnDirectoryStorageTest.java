package dev.baton.cli;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import dev.baton.agent.Agent;
import dev.baton.agent.AgentTls;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.gateway.config.GatewayConfigFile;
import dev.baton.gateway.config.GatewaySettings;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.http.tls.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A gateway process wired for directory storage (S2, S5): sessions go to LDAP, the purge task runs instead of the SQL cleanup. */
class GatewayOnDirectoryStorageTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

    @TempDir
    Path dir;

    private InMemoryDirectoryServer directory(InMemoryListenerConfig listener) throws Exception {
        InMemoryDirectoryServerConfig c = new InMemoryDirectoryServerConfig("dc=baton,dc=test");
        c.addAdditionalBindCredentials("cn=admin,dc=baton,dc=test", "secret");
        try (InputStream schema = getClass().getResourceAsStream("/dev/baton/store/ldap/baton-rfc4512.ldif")) {
            c.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), Schema.getSchema(schema)));
        }
        c.setListenerConfigs(listener);
        InMemoryDirectoryServer ldap = new InMemoryDirectoryServer(c);
        ldap.add("dn: dc=baton,dc=test", "objectClass: dcObject", "objectClass: organization", "o: baton", "dc: baton");
        ldap.startListening();
        return ldap;
    }

    private static String yaml(String federationUrl, String storage) {
        return """
                name: gw
                listen: 127.0.0.1:0
                federation: { url: "%s", user: gw, password: pw, trust-all: true }
                storage:
                  type: ldap
                %s
                  purge: { pollingInterval: "1 m", maxUpdatesPerSecond: 50, priorityIndex: 2 }
                roles: { staff: {} }
                realms:
                  - { name: users, auth-group: corp, auth-server: { kind: local, accounts: [ { username: alice, password: pw,
                      attributes: { department: engineering } } ] }, role-mapping: [ { when: ["username=*"], roles: [staff] } ] }
                """.formatted(federationUrl, storage.indent(2).stripTrailing());
    }

    /** Signs alice in at a gateway on {@code settings}; returns her session's hash. */
    private String signIn(GatewaySettings settings) {
        try (GatewayNode node = GatewayNode.start(settings, dir.resolve("gw"), Clock.systemUTC())) {
            Agent agent = new Agent(null, Map.of());
            agent.signIn(new HttpGatewayEndpoint(node.url(), AgentTls.trustAll(), Duration.ofSeconds(10)), "users", "alice", "pw");
            return dev.baton.core.SessionId.hashOf(agent.state().sessionId()).hex();
        }
    }

    private IfmapServer federation() {
        return IfmapServer.builder().listen("127.0.0.1", 0).users(BasicAuthUsers.of(Map.of("gw", "pw"))).gateways(java.util.List.of("gw"))
                .dataDirectory(dir.resolve("federation")).build().start();
    }

    @Test
    void theAdminApiShowsThePurgeAndRunsAPass() throws Exception {
        InMemoryDirectoryServer ldap = directory(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        IfmapServer federation = federation();
        java.nio.file.Path operators = dir.resolve("operators.yaml");
        java.nio.file.Files.writeString(operators, "operators:\n  ops:\n    role: admin\n    password-hash: \""
                + dev.baton.core.Argon2id.hash("ops-pw".toCharArray(), 1024, 1) + "\"\n");
        java.nio.file.Files.setPosixFilePermissions(operators, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String yaml = yaml(federation.url().toString(), """
                ldap: { servers: "127.0.0.1:%d", tls: none, bindDn: "cn=admin,dc=baton,dc=test", password: secret, baseDn: "ou=sessions,dc=baton,dc=test" }
                """.formatted(ldap.getListenPort())) + "admin: { listen: \"127.0.0.1:0\", operators: \"" + operators + "\" }\n";
        var http = java.net.http.HttpClient.newBuilder().sslContext(AgentTls.trustAll()).build();
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString("ops:ops-pw".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (GatewayNode node = GatewayNode.start(new GatewayConfigFile().parse(yaml), dir.resolve("gw"), Clock.systemUTC())) {
            java.net.URI admin = node.adminUrl().orElseThrow();
            var run = http.send(java.net.http.HttpRequest.newBuilder(admin.resolve("/api/admin/v1/purge/run")).header("Authorization", auth)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
            assertThat(run.body()).contains("\"leaderNode\":\"gw\"");
            var status = http.send(java.net.http.HttpRequest.newBuilder(admin.resolve("/api/admin/v1/purge")).header("Authorization", auth)
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(status.body()).contains("\"node\":\"gw\"", "\"maxUpdatesPerSecond\":50", "\"lastPass\"");
        } finally {
            federation.stop();
            ldap.shutDown(true);
        }
    }

    @Test
    void signInsAreStoredInTheDirectoryUnderTheirHash() throws Exception {
        InMemoryDirectoryServer ldap = directory(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        IfmapServer federation = federation();
        String yaml = yaml(federation.url().toString(), """
                ldap: { servers: "127.0.0.1:%d", tls: none, bindDn: "cn=admin,dc=baton,dc=test", password: secret, baseDn: "ou=sessions,dc=baton,dc=test" }
                """.formatted(ldap.getListenPort()));
        GatewaySettings settings = new GatewayConfigFile().parse(yaml);
        assertThat(settings.storage().directory().orElseThrow().purge().priorityIndex()).isEqualTo(2);
        assertThat(settings.storage().directory().orElseThrow().purge().nodeName()).as("the gateway's name").isEqualTo("gw");
        try {
            String hash = signIn(settings);
            assertThat(ldap.search("ou=sessions,dc=baton,dc=test", SearchScope.ONE, "(batonSessionIdHash=" + hash + ")").getEntryCount())
                    .isEqualTo(1);
        } finally {
            federation.stop();
            ldap.shutDown(true);
        }
        assertThatThrownBy(() -> new GatewayConfigFile().parse(yaml.replaceAll("(?m)^  ldap:.*$", "")))
                .hasMessageContaining("storage.ldap: is required for type ldap");
    }

    @Test
    void signInsReachAnLdapsDirectoryWithTheirAttributesSealed() throws Exception {
        char[] password = "changeit".toCharArray();
        KeyStore serverKey = SelfSignedCertificate.loadOrCreate(dir.resolve("ldap-key.p12"), password, "localhost");
        Path truststore = dir.resolve("ldap-trust.p12");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("directory", serverKey.getCertificate(SelfSignedCertificate.ALIAS));
        try (OutputStream out = Files.newOutputStream(truststore)) {
            trust.store(out, password);
        }
        SSLUtil serverTls = new SSLUtil(new KeyStoreKeyManager(dir.resolve("ldap-key.p12").toFile(), password, "PKCS12",
                SelfSignedCertificate.ALIAS), new TrustAllTrustManager());
        InMemoryDirectoryServer ldap = directory(InMemoryListenerConfig.createLDAPSConfig("ldaps", InetAddress.getLoopbackAddress(), 0,
                serverTls.createSSLServerSocketFactory(), null));
        IfmapServer federation = federation();
        GatewaySettings settings = new GatewayConfigFile().parse(yaml(federation.url().toString(), """
                ldap: { servers: "ldaps://localhost:%d", truststore: "%s", truststorePassword: changeit,
                        bindDn: "cn=admin,dc=baton,dc=test", password: secret, baseDn: "ou=sessions,dc=baton,dc=test" }
                encryption: { key: "%s" }
                """.formatted(ldap.getListenPort(), truststore, KEY)));
        assertThat(settings.storage().toString()).contains("encryption=AES-GCM").doesNotContain(KEY);
        try {
            String hash = signIn(settings);
            Entry entry = ldap.getEntry("batonSessionIdHash=" + hash + ",ou=sessions,dc=baton,dc=test");
            String data = new String(entry.getAttributeValueBytes("batonSessionData"), StandardCharsets.UTF_8);
            assertThat(data).contains("\"attributesSealed\":\"v1:").doesNotContain("engineering");
        } finally {
            federation.stop();
            ldap.shutDown(true);
        }
    }

    @Test
    void directorySettingsAreCheckedWithTheirKeysNamed() {
        String plainRemote = yaml("https://127.0.0.1:8443", """
                ldap: { servers: "ldap.example.org:389", tls: none, bindDn: "cn=admin,dc=x", password: secret, baseDn: "ou=sessions,dc=x" }
                """);
        assertThatThrownBy(() -> new GatewayConfigFile().parse(plainRemote))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                .hasMessageStartingWith("storage.ldap.tls: is none but server ldap.example.org:389 is not on loopback")
                .hasMessageContaining("allowInsecurePlain");
        assertThatThrownBy(() -> new GatewayConfigFile().parse(plainRemote.replace("tls: none", "tsl: none")))
                .hasMessageStartingWith("storage.ldap.tsl: is not a known key here");
        assertThatThrownBy(() -> new GatewayConfigFile().parse(plainRemote.replace("tls: none", "tls: none, poolSize: 0")))
                .hasMessageStartingWith("storage.ldap.poolSize: must be at least 1, got 0");
        String allowed = plainRemote.replace("tls: none", "tls: none, allowInsecurePlain: true");
        assertThat(new GatewayConfigFile().parse(allowed).storage().directory().orElseThrow().store().tls().allowInsecurePlain()).isTrue();
        assertThatThrownBy(() -> new GatewayConfigFile().parse(allowed.replace("priorityIndex: 2", "priorityIndex: 2, threads: 4")))
                .hasMessageStartingWith("storage.purge.threads: is not a known key here");
        assertThatThrownBy(() -> new GatewayConfigFile().parse(allowed.replace("priorityIndex: 2", "priorityIndex: 2, deleteThreads: 65")))
                .hasMessageStartingWith("storage.purge.deleteThreads: must be 1 to 64, got 65");
        assertThatThrownBy(() -> new GatewayConfigFile().parse(plainRemote.replace("type: ldap", "type: h2")))
                .hasMessageStartingWith("storage.ldap: applies to storage type ldap only, not h2");

        GatewaySettings sealed = new GatewayConfigFile().parse(yaml("https://127.0.0.1:8443", """
                ldap: { servers: [ "ldaps://ldap.example.org" ], bindDn: "cn=admin,dc=x", password: secret, baseDn: "ou=sessions,dc=x" }
                encryption: { key: "%s" }
                """.formatted(KEY)));
        assertThat(sealed.storage().directory().orElseThrow().store().encrypted()).isTrue();
        assertThat(sealed.storage().toString()).contains("ldap.example.org:636").doesNotContain(KEY).doesNotContain("secret");
    }
}
