package dev.baton.store.ldap;

import dev.baton.store.StoredSession;
import dev.baton.store.TimestampColumn;
import dev.baton.testing.ThrowawaySlapd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped schema files work where operators use them: {@code baton.ldif} and
 * {@code baton-indexes.ldif} in a {@code cn=config} slapd, and {@code scripts/slapd.sh} with
 * {@code baton.schema}.
 */
class SlapdSchemaLoadingTest {
    @TempDir
    Path dir;
    private Long pid;

    @BeforeEach
    void requireSlapd() {
        LdapStoreTesting.requireSlapdBinary();
    }

    @AfterEach
    void stop() throws Exception {
        if (pid != null) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroy();
                h.onExit().join();
            });
        }
    }

    @Test
    void theCnConfigLdifAndIndexLdifLoadAndTheStoreWorksOnThem() throws Exception {
        Path slapd = ThrowawaySlapd.findBinary().orElseThrow();
        Path config = Files.createDirectories(dir.resolve("slapd.d"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path batonLdif = copyResource("baton.ldif");
        Path init = dir.resolve("init.ldif");
        Files.writeString(init, """
                dn: cn=config
                objectClass: olcGlobal
                cn: config
                olcPidFile: %1$s/slapd.pid

                dn: cn=module{0},cn=config
                objectClass: olcModuleList
                cn: module{0}
                olcModulePath: /usr/lib/ldap
                olcModuleLoad: back_mdb

                dn: cn=schema,cn=config
                objectClass: olcSchemaConfig
                cn: schema

                include: file:///etc/ldap/schema/core.ldif

                include: file:///etc/ldap/schema/cosine.ldif

                include: file:///etc/ldap/schema/inetorgperson.ldif

                include: file://%2$s

                dn: olcDatabase={1}mdb,cn=config
                objectClass: olcDatabaseConfig
                objectClass: olcMdbConfig
                olcDatabase: {1}mdb
                olcSuffix: %3$s
                olcDbDirectory: %4$s
                olcRootDN: %5$s
                olcRootPW: %6$s
                """.formatted(dir, batonLdif, ThrowawaySlapd.SUFFIX, data, ThrowawaySlapd.ROOT_DN, ThrowawaySlapd.PASSWORD));
        run(slapd.toString(), "-T", "add", "-n", "0", "-F", config.toString(), "-l", init.toString());
        Path indexes = dir.resolve("indexes.ldif");
        Files.writeString(indexes, Files.readString(copyResource("baton-indexes.ldif")).lines()
                .filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n"));
        run(slapd.toString(), "-T", "modify", "-n", "0", "-F", config.toString(), "-l", indexes.toString());
        assertThat(Files.readString(config.resolve("cn=config/olcDatabase={1}mdb.ldif")))
                .contains("olcDbIndex: batonExpiryTime eq", "olcDbIndex: batonOwner eq");

        int port = freePort();
        run(slapd.toString(), "-h", "ldap://127.0.0.1:" + port + "/", "-F", config.toString());
        pid = Long.parseLong(Files.readString(dir.resolve("slapd.pid")).strip());
        awaitListening(port);
        useTheStore(port);
    }

    /** slapd writes its PID file before its listener accepts connections. */
    private static void awaitListening(int port) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (java.net.Socket ignored = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            }
        });
    }

    @Test
    void theScriptStartsASlapdWithTheBatonSchemaAndStopsIt() throws Exception {
        Path script = Path.of("..", "scripts", "slapd.sh").toAbsolutePath().normalize();
        assertThat(script).isExecutable();
        int port = freePort();
        run(script.toString(), "start", dir.toString(), Integer.toString(port));
        pid = Long.parseLong(Files.readString(dir.resolve("slapd.pid")).strip());
        awaitListening(port);

        useTheStore(port);

        run(script.toString(), "stop", dir.toString());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        pid = null;
    }

    private void useTheStore(int port) throws Exception {
        try (var c = new com.unboundid.ldap.sdk.LDAPConnection("127.0.0.1", port, ThrowawaySlapd.ROOT_DN, ThrowawaySlapd.PASSWORD)) {
            c.add("dn: " + ThrowawaySlapd.SUFFIX, "objectClass: dcObject", "objectClass: organization", "o: b", "dc: baton");
        }
        try (LdapSessionStore store = LdapSessionStore.connect(LdapStoreTesting.settings(port, LdapStoreTesting.freshBaseDn()))) {
            StoredSession s = LdapTestSessions.expiringAt(LdapTestSessions.T0);
            store.store(s);
            assertThat(store.load(s.session().hash())).contains(s);
            assertThat(store.deleteExpired(TimestampColumn.EXPIRY_TIME, LdapTestSessions.T0.plusSeconds(1), 10)).isEqualTo(1);
        }
    }

    private Path copyResource(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/dev/baton/store/ldap/" + name)) {
            Files.copy(in, target);
        }
        return target;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
