package dev.baton.gateway.config;

import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.ResultCode;
import dev.baton.core.config.ConfigNode;
import dev.baton.gateway.LocalAccounts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayConfigFileTest {
    static final String ALICE_HASH = new LocalAccounts(1024, 1).hash("correct horse".toCharArray());
    static final String VALID = """
            name: gateway-b
            kind: policy
            listen: 127.0.0.1:9444
            migration: true
            federation: { url: "https://127.0.0.1:8443", user: gateway-b, password: s3cret, trust-all: true }
            storage: { type: h2, url: "./data/gateway-b" }
            host-checker:
              antivirus: ["antivirus=running", "av.signatures>=2026.11"]
            roles:
              staff: { max-session-length: 10h, idle-timeout: 45m, heartbeat-timeout: 5m, host-checker: [antivirus] }
              remediation: { remediation: true, max-session-length: 1h }
            realms:
              - name: users
                auth-group: corp
                auth-server:
                  kind: local
                  accounts:
                    - { username: alice, password-hash: "HASH", attributes: { department: engineering } }
                role-mapping:
                  - { when: ["attribute:department=eng*"], roles: [staff] }
                remediation-role: remediation
            """.replace("HASH", ALICE_HASH);

    static BatonException failure(String yaml) {
        try {
            new GatewayConfigFile().parse(yaml);
        } catch (BatonException e) {
            assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION);
            return e;
        }
        throw new AssertionError("expected a configuration error");
    }

    @Test
    void aValidFileBecomesFrozenSettings() {
        GatewaySettings s = new GatewayConfigFile().parse(VALID);
        assertThat(s.gateway().name()).isEqualTo("gateway-b");
        assertThat(s.gateway().kind()).isEqualTo(GatewayKind.POLICY);
        assertThat(s.listen().getPort()).isEqualTo(9444);
        assertThat(s.federation().trustAll()).isTrue();
        assertThat(s.federation().toString()).doesNotContain("s3cret");
        assertThat(s.storage().type()).isEqualTo("h2");
        assertThat(s.gateway().access().optionsFor(List.of("staff")).maxSessionLength()).isEqualTo(Duration.ofHours(10));
        assertThat(s.gateway().access().optionsFor(List.of("staff")).heartbeatTimeout()).isEqualTo(Duration.ofMinutes(5));
        var realm = s.gateway().realm("users").orElseThrow();
        assertThat(realm.realm().kind()).isEqualTo(AuthServerKind.LOCAL);
        assertThat(realm.realm().authGroup().name()).isEqualTo("corp");
        assertThat(realm.server().authenticate("alice", "correct horse".toCharArray())).isPresent();
        assertThat(realm.server().find("alice").orElseThrow().attributes()).containsEntry("department", List.of("engineering"));
    }

    @Test
    void theAdminListenerIsOffUnlessConfiguredAndItsKeysAreRead() {
        assertThat(new GatewayConfigFile().parse(VALID).admin()).isEmpty();
        GatewaySettings s = new GatewayConfigFile().parse(VALID + "\nadmin:\n  listen: 127.0.0.1:9555\n  operators: ops.yaml\n"
                + "  audit-dir: /var/log/baton\n");
        GatewaySettings.Admin admin = s.admin().orElseThrow();
        assertThat(admin.listen().getPort()).isEqualTo(9555);
        assertThat(admin.operators()).hasToString("ops.yaml");
        assertThat(admin.auditDir()).contains(java.nio.file.Path.of("/var/log/baton"));
        assertThat(failure(VALID + "\nadmin:\n  listen: 127.0.0.1:9555\n").getMessage()).contains("admin.operators").contains("required");
        assertThat(failure(VALID + "\nadmin:\n  operators: ops.yaml\n  port: 9\n").getMessage()).contains("admin.port");
    }

    @Test
    void thePauseBetweenPollsIsConfigurableWithinBounds() {
        assertThat(new GatewayConfigFile().parse(VALID).federation().pollCoalesce())
                .isEqualTo(dev.baton.ifmap.FederationClientConfig.DEFAULT_POLL_COALESCE);
        String off = VALID.replace("trust-all: true }", "trust-all: true, poll-coalesce-ms: 0 }");
        assertThat(new GatewayConfigFile().parse(off).federation().pollCoalesce()).isZero();
        String slow = VALID.replace("trust-all: true }", "trust-all: true, poll-coalesce-ms: 2000 }");
        assertThat(failure(slow).getMessage()).contains("federation.poll-coalesce-ms").contains("2000");
    }

    @Test
    void trustAllIsRefusedUnlessTheFederationServerIsOnLoopback() {
        String remote = VALID.replace("https://127.0.0.1:8443", "https://fed.example.com:8443");
        assertThat(failure(remote).getMessage())
                .startsWith("federation.trust-all: true is refused for https://fed.example.com:8443")
                .contains("host fed.example.com is not a loopback address").contains("federation.truststore");
        assertThat(failure(VALID.replace("https://127.0.0.1:8443", "https://10.1.2.3:8443")).getMessage())
                .contains("host 10.1.2.3 is not a loopback address");
        for (String loopback : List.of("https://localhost:8443", "https://127.8.9.10:8443", "https://[::1]:8443")) {
            assertThat(new GatewayConfigFile().parse(VALID.replace("https://127.0.0.1:8443", loopback)).federation().trustAll())
                    .isTrue();
        }
        GatewaySettings pinned = new GatewayConfigFile().parse(remote.replace("trust-all: true", "truststore: fed.p12"));
        assertThat(pinned.federation().trustAll()).isFalse();
    }

    @Test
    void theHostCheckerTimeoutIsConfigurableAndMustBePositive() {
        assertThat(new GatewayConfigFile().parse(VALID).gateway().hostCheckTimeout())
                .isEqualTo(dev.baton.gateway.GatewayConfig.DEFAULT_HOST_CHECK_TIMEOUT);
        assertThat(new GatewayConfigFile().parse("host-checker-timeout: 3m\n" + VALID).gateway().hostCheckTimeout())
                .isEqualTo(java.time.Duration.ofMinutes(3));
        assertThat(failure("host-checker-timeout: 0s\n" + VALID).getMessage()).startsWith("host-checker-timeout: '0s' must be positive");
        assertThat(failure("host-checker-timeout: soon\n" + VALID).getMessage()).contains("host-checker-timeout");
    }

    @Test
    void typosAreNamedWithTheirPath() {
        assertThat(failure(VALID.replace("idle-timeout: 45m", "idle-timout: 45m")).getMessage())
                .startsWith("roles.staff.idle-timout: is not a known key here");
        assertThat(failure(VALID.replace("kind: policy", "kind: vpn")).getMessage())
                .startsWith("kind: unknown gateway kind 'vpn'");
        assertThat(failure(VALID.replace("kind: local", "kind: kerberos")).getMessage())
                .startsWith("realms[0].auth-server.kind: unknown authentication server kind 'kerberos'");
    }

    @Test
    void badValuesAreNamedWithTheirPath() {
        assertThat(failure(VALID.replace("max-session-length: 10h", "max-session-length: ten hours")).getMessage())
                .contains("roles.staff.max-session-length: must be a whole number and a unit");
        assertThat(failure(VALID.replace("migration: true", "migration: maybe")).getMessage())
                .isEqualTo("migration: must be true or false, got 'maybe'");
        assertThat(failure(VALID.replace("listen: 127.0.0.1:9444", "listen: nowhere")).getMessage())
                .isEqualTo("listen: 'nowhere' must be HOST:PORT");
        assertThat(failure(VALID.replace("https://127.0.0.1:8443", "http://127.0.0.1:8443")).getMessage())
                .startsWith("federation.url: must be an https:// URL");
        assertThat(failure(VALID.replace("type: h2", "type: mongodb")).getMessage()).startsWith("storage.type:");
    }

    @Test
    void theStoreEncryptionKeyIsCheckedAndNeverShown() {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        GatewaySettings s = new GatewayConfigFile().parse(VALID.replace("storage: { type: h2, url: \"./data/gateway-b\" }",
                "storage: { type: h2, encryption: { key: \"" + key + "\" } }"));
        assertThat(s.storage().encryptionKey()).isEqualTo(key);
        assertThat(s.storage().toString()).contains("encryption=AES-GCM").doesNotContain(key);
        assertThat(new GatewayConfigFile().parse(VALID).storage().encryptionKey()).isEmpty();

        String shortKey = java.util.Base64.getEncoder().encodeToString("0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(failure(VALID.replace("type: h2,", "type: h2, encryption: { key: \"" + shortKey + "\" },")).getMessage())
                .startsWith("storage.encryption.key: must decode to 16, 24 or 32 bytes").doesNotContain(shortKey);
        assertThat(failure(VALID.replace("type: h2,", "type: h2, encryption: { key: \"not base64!\" },")).getMessage())
                .startsWith("storage.encryption.key: is not valid base64").doesNotContain("not base64!");
        assertThat(failure(VALID.replace("type: h2,", "type: memory, encryption: { key: \"" + key + "\" },")).getMessage())
                .startsWith("storage.encryption.key: applies to stored sessions");
        assertThat(failure(VALID.replace("type: h2,", "type: h2, encryption: { kye: x },")).getMessage())
                .startsWith("storage.encryption.kye: is not a known key here");
    }

    @Test
    void theMemoryTiersSettingsComeFromTheYamlAndMistakesNameTheKey() {
        assertThat(new GatewayConfigFile().parse(VALID).storage().tier()).isEqualTo(dev.baton.store.TieredStoreSettings.DEFAULTS);
        GatewaySettings s = new GatewayConfigFile().parse(VALID.replace("type: h2,",
                "type: h2, tier: { activity-write-interval-ms: 5000, max-queued-writes: 2000, fail-closed: true, writer-threads: 2 },"));
        assertThat(s.storage().tier().activityWriteInterval()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(s.storage().tier().maxQueuedWrites()).isEqualTo(2000);
        assertThat(s.storage().tier().failClosed()).isTrue();
        assertThat(s.storage().tier().writerThreads()).isEqualTo(2);
        assertThat(failure(VALID.replace("type: h2,", "type: h2, tier: { writer-threads: 100 },")).getMessage())
                .contains("writer-threads");
        assertThat(failure(VALID.replace("type: h2,", "type: h2, tier: { fail-closed: maybe },")).getMessage())
                .contains("storage.tier.fail-closed");
        assertThat(failure(VALID.replace("type: h2,", "type: h2, tier: { queue: 5 },")).getMessage())
                .startsWith("storage.tier.queue: is not a known key here");
    }

    /** Each storage.tier key reaches the settings: a value other than the default comes through. */
    @Test
    void everyTierKeyIsSettableFromTheYaml() {
        GatewaySettings s = new GatewayConfigFile().parse(VALID.replace("type: h2,", """
                type: h2, tier: { activity-write-interval-ms: 15000, max-queued-writes: 5000, fail-closed: true,
                  write-timeout-ms: 750, write-batch-size: 64, writer-threads: 8, retry-backoff-ms: 250, preload: true },"""));
        assertThat(s.storage().tier()).isEqualTo(new dev.baton.store.TieredStoreSettings(Duration.ofSeconds(15), 5000, true,
                Duration.ofMillis(750), 64, 8, Duration.ofMillis(250), true));
        assertThat(failure(VALID.replace("type: h2,", "type: h2, tier: { writer-threads: 100 },")).getMessage())
                .isEqualTo("storage.tier.writer-threads: must be between 1 and 64, got 100");
        assertThat(failure(VALID.replace("type: h2,", "type: h2, tier: { max-queued-writes: 0 },")).getMessage())
                .isEqualTo("storage.tier.max-queued-writes: must be positive, got 0");
    }

    /** Each storage.cleanup key reaches the settings. */
    @Test
    void everyCleanupKeyIsSettableFromTheYaml() {
        GatewaySettings s = new GatewayConfigFile().parse(VALID.replace("type: h2,", """
                type: h2, cleanup: { interval-ms: 3600000, batch-size: 50, timestamp-column: last_activity_time,
                  offset-minutes: 30, console-node: true, lease-seconds: 60 },"""));
        assertThat(s.storage().cleanup()).isEqualTo(new dev.baton.store.CleanupSettings(3_600_000, 50,
                dev.baton.store.TimestampColumn.LAST_ACTIVITY_TIME, 30, true, Duration.ofMinutes(1)));
        assertThat(failure(VALID.replace("type: h2,", "type: h2, cleanup: { batch-size: 0 },")).getMessage())
                .isEqualTo("storage.cleanup.batch-size: must be between 1 and 100000, got 0");
        assertThat(failure(VALID.replace("type: h2,", "type: h2, cleanup: { batch: 5 },")).getMessage())
                .startsWith("storage.cleanup.batch: is not a known key here");
    }

    @Test
    void authServerKeysAreReadFromTheTreeAndNamedByTheirPath() {
        String radius = VALID.replace("""
                  kind: local
                  accounts:
                    - { username: alice, password-hash: "HASH", attributes: { department: engineering } }
            """.replace("HASH", ALICE_HASH), """
                  kind: radius
                  radius.servers: [ "r1:1812", "r2" ]
                  radius.secret: s
                  radius.timeout: 2s
                  radius.retries: RETRIES
            """);
        GatewaySettings s = new GatewayConfigFile().parse(radius.replace("RETRIES", "1"));
        assertThat(s.gateway().realms().getFirst().server().getClass().getSimpleName()).isEqualTo("RadiusAuthenticator");
        assertThat(failure(radius.replace("RETRIES", "many")).getMessage())
                .isEqualTo("realms[0].auth-server.radius.retries: must be a whole number, got 'many'");
        assertThat(failure(radius.replace("RETRIES", "1").replace("radius.secret: s", "radius.secret: \"\"")).getMessage())
                .startsWith("realms[0].auth-server.radius.secret:");
        assertThat(failure(radius.replace("RETRIES", "1").replace("radius.secret", "radius.secrets")).getMessage())
                .startsWith("realms[0].auth-server.radius.secrets: is not a known key here");
    }

    @Test
    void referencesToUnknownRolesAndPoliciesAreNamed() {
        assertThat(failure(VALID.replace("roles: [staff] }", "roles: [ghost] }")).getMessage())
                .contains("realm users role mapping names unknown role 'ghost'");
        assertThat(failure(VALID.replace("host-checker: [antivirus] }", "host-checker: [firewall] }")).getMessage())
                .contains("role staff names unknown Host Checker policy 'firewall'");
        assertThat(failure(VALID.replace("name: gateway-b", "name: 'gateway b'")).getMessage()).contains("gateway name must be");
        assertThat(failure("kind: policy\n").getMessage()).isEqualTo("name: is required");
        assertThat(failure("name: [unclosed").getMessage()).contains("not valid YAML");
    }

    @Test
    void passwordHashesAreAcceptedAndMalformedOnesNamed() {
        String hash = new LocalAccounts(1024, 1).hash("pw".toCharArray());
        GatewaySettings s = new GatewayConfigFile().parse(VALID.replace(ALICE_HASH, hash));
        assertThat(s.gateway().realm("users").orElseThrow().server().authenticate("alice", "pw".toCharArray())).isPresent();
        assertThat(failure(VALID.replace("\"" + ALICE_HASH + "\"", "md5:abc")).getMessage())
                .contains("realms[0].auth-server.accounts[0]: password-hash of local account alice must be an Argon2id PHC string");
    }

    @Test
    void plainPasswordsAreHashedOnLoad() {
        GatewaySettings s = new GatewayConfigFile().parse(VALID.replace("password-hash: \"" + ALICE_HASH + "\"", "password: pw"));
        assertThat(s.gateway().realm("users").orElseThrow().server().authenticate("alice", "pw".toCharArray())).isPresent();
    }

    @Test
    void otherRealmKindsAreBuiltFromTheirFlatKeysAndTypoedKeysAreNamed() {
        String radius = VALID.replace("""
                  - name: users
                    auth-group: corp
                    auth-server:
                      kind: local
                      accounts:
                        - { username: alice, password-hash: "HASH", attributes: { department: engineering } }
                """.replace("HASH", ALICE_HASH), """
                  - name: users
                    auth-group: corp
                    auth-server: { kind: radius, radius.servers: ["127.0.0.1:18120", "127.0.0.1:18121"], radius.secret: testing123 }
                """);
        GatewaySettings s = new GatewayConfigFile().parse(radius);
        assertThat(s.gateway().realm("users").orElseThrow().realm().kind()).isEqualTo(AuthServerKind.RADIUS);
        assertThat(failure(radius.replace("radius.secret", "radius.secrett")).getMessage()).startsWith("realms[0].auth-server").contains("radius.secrett");
        GatewaySettings saml = new GatewayConfigFile().parse(radius.replace("{ kind: radius, radius.servers: [\"127.0.0.1:18120\", \"127.0.0.1:18121\"], radius.secret: testing123 }", "{ kind: saml }"));
        assertThat(saml.gateway().realm("users").orElseThrow().realm().kind().migrates()).isFalse();
    }

    @Test
    void durationsAcceptUnitsAndIso8601() {
        assertThat(ConfigNode.parseDuration("1500ms", "x")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ConfigNode.parseDuration("3w", "x")).isEqualTo(Duration.ofDays(21));
        assertThat(ConfigNode.parseDuration("PT8H", "x")).isEqualTo(Duration.ofHours(8));
        assertThatThrownBy(() -> ConfigNode.parseDuration("0s", "x")).hasMessageContaining("must be positive");
    }
}
