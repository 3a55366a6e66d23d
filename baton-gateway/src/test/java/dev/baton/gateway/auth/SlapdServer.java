package dev.baton.gateway.auth;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway OpenLDAP server (Debian's {@code slapd}) for one test class: a temporary slapd.conf with
 * the core, cosine, inetorgperson and nis schemas plus a two-attribute Active-Directory look-alike
 * ({@code sAMAccountName}, {@code userPrincipalName}), an mdb database under {@link #BASE_DN}, listening
 * for LDAP (with StartTLS) and LDAPS on free 127.0.0.1 ports with a certificate for 127.0.0.1 from a
 * throwaway CA ({@link #caFile()}), stopped by its PID afterwards. Register it as a static
 * {@code @RegisterExtension} field. If slapd is missing the tests fail, unless {@code -Dbaton.allowSkip=true}.
 * Public, and in baton-gateway's test-jar, for baton-it's stories with real processes.
 */
public final class SlapdServer implements BeforeAllCallback, AfterAllCallback {
    public static final String BASE_DN = "dc=baton,dc=test";
    public static final String ROOT_DN = "cn=admin," + BASE_DN;
    public static final String ROOT_PASSWORD = "root-secret";

    private static final List<Path> SEARCH = List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"), Path.of("/usr/local/libexec"));
    private static final String AD_SCHEMA = """
            # Test-only stand-ins for two Active Directory attributes (AD's own OIDs), searchable by equality.
            attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' EQUALITY caseIgnoreMatch
                SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
            attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName' EQUALITY caseIgnoreMatch
                SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
            objectclass ( 1.3.6.1.4.1.4203.666.11.99.1 NAME 'batonTestAdAccount' AUXILIARY
                MAY ( sAMAccountName $ userPrincipalName ) )
            """;

    private Path dir;
    private int port;
    private int ldapsPort;
    private Process process;

    /** The port slapd listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, as {@code ldap.servers} takes it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:port} of the LDAPS listener. */
    public String ldapsAddress() {
        return "127.0.0.1:" + ldapsPort;
    }

    /** The PEM file of the CA that issued slapd's certificate. */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** Adds entries written as LDIF, bound as the root DN. */
    public void add(String ldif) {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", port, ROOT_DN, ROOT_PASSWORD);
             LDIFReader reader = new LDIFReader(new java.io.BufferedReader(new StringReader(ldif)))) {
            for (com.unboundid.ldap.sdk.Entry e = reader.readEntry(); e != null; e = reader.readEntry()) {
                c.add(e);
            }
        } catch (LDAPException | LDIFException | IOException e) {
            throw new IllegalStateException("cannot load LDIF into slapd: " + e.getMessage(), e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path slapd = find("slapd");
        Path slappasswd = find("slappasswd");
        if (slapd == null || slappasswd == null) {
            unavailable("slapd/slappasswd not found; install Debian's slapd and ldap-utils (scripts/prepare-test-env.sh does)");
        }
        dir = Files.createTempDirectory("baton-slapd");
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("ad-lookalike.schema"), AD_SCHEMA);
        String hash = run(List.of(slappasswd.toString(), "-s", ROOT_PASSWORD)).strip();
        writeCertificates();
        Path conf = dir.resolve("slapd.conf");
        Files.writeString(conf, config(hash));
        Path slaptest = find("slaptest");
        if (slaptest != null) {
            run(List.of(slaptest.toString(), "-u", "-f", conf.toString())); // names a bad configuration line, unlike slapd -d 0
        }
        port = freePort();
        ldapsPort = freePort();
        launch();
        add("""
                dn: %s
                objectClass: dcObject
                objectClass: organization
                dc: baton
                o: Baton tests
                """.formatted(BASE_DN));
    }

    /** Stops slapd and starts it again on the same ports with the same data, as a directory restart looks to clients. */
    void restart() throws IOException, InterruptedException {
        stopProcess();
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        String url = "ldap://127.0.0.1:" + port + "/ ldaps://127.0.0.1:" + ldapsPort + "/";
        // -d 0 keeps slapd in the foreground, so the Process is slapd itself and its PID is ours to stop.
        process = new ProcessBuilder(find("slapd").toString(), "-d", "0", "-h", url, "-f", dir.resolve("slapd.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("slapd.log").toFile())).start();
        awaitListening();
    }

    private void stopProcess() throws InterruptedException {
        process.destroy(); // SIGTERM to slapd's own PID
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            stopProcess();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private String config(String rootHash) {
        return """
                include /etc/ldap/schema/core.schema
                include /etc/ldap/schema/cosine.schema
                include /etc/ldap/schema/inetorgperson.schema
                include /etc/ldap/schema/nis.schema
                include %1$s/ad-lookalike.schema
                pidfile %1$s/slapd.pid
                TLSCACertificateFile %1$s/ca.pem
                TLSCertificateFile %1$s/server.pem
                TLSCertificateKeyFile %1$s/server.key
                modulepath /usr/lib/ldap
                moduleload back_mdb
                database mdb
                maxsize 104857600
                suffix "%2$s"
                rootdn "%3$s"
                rootpw %4$s
                directory %1$s/db
                access to attrs=userPassword by self write by anonymous auth by * none
                access to * by * read
                """.formatted(dir, BASE_DN, ROOT_DN, rootHash);
    }

    private void writeCertificates() throws Exception {
        Instant now = Instant.now().minus(Duration.ofHours(1));
        TestCertificates.Issued ca = TestCertificates.ca("O=Baton,CN=Baton slapd test CA", now, Duration.ofDays(2));
        TestCertificates.Issued server = TestCertificates.rsaLeaf(ca, "O=Baton,CN=127.0.0.1", now, Duration.ofDays(2),
                KeyPurposeId.id_kp_serverAuth, new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        Files.writeString(dir.resolve("ca.pem"), ca.pem());
        Files.writeString(dir.resolve("server.pem"), server.pem());
        Files.writeString(dir.resolve("server.key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(server.keys().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    private void awaitListening() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                unavailable("slapd exited with " + process.exitValue() + ": " + Files.readString(dir.resolve("slapd.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        unavailable("slapd did not listen on 127.0.0.1:" + port + " within 15 s: " + Files.readString(dir.resolve("slapd.log")));
    }

    private static void unavailable(String why) {
        if (Boolean.getBoolean("baton.allowSkip")) {
            throw new TestAbortedException(why);
        }
        throw new IllegalStateException(why + " (set -Dbaton.allowSkip=true to skip instead)");
    }

    private static Path find(String name) {
        return SEARCH.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst().orElse(null);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command.get(0) + " failed: " + out);
        }
        return out;
    }
}
