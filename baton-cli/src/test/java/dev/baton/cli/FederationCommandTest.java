package dev.baton.cli;

import dev.baton.core.ResultCode;
import dev.baton.http.tls.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code baton federation --keystore FILE --keystore-password-file FILE}: the operator's certificate is the one served. */
class FederationCommandTest {
    @TempDir
    Path dir;

    @Test
    void aServerStartedWithAnOperatorsKeystorePresentsThatCertificate() throws Exception {
        char[] password = "operator's secret".toCharArray();
        Path keystore = dir.resolve("operator.p12");
        KeyStore operator = SelfSignedCertificate.loadOrCreate(keystore, password, "federation.operator.test");
        Certificate expected = operator.getCertificate(SelfSignedCertificate.ALIAS);
        Path passwordFile = Files.writeString(dir.resolve("keystore.pass"), new String(password) + "\n");
        Path users = Files.writeString(dir.resolve("users.txt"), "gw-a:secret\n");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }

        FederationCommand federation = new FederationCommand();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == FederationCommand.class ? type.cast(federation) : CommandLine.defaultFactory().create(type);
            }
        };
        AtomicInteger status = new AtomicInteger(-1);
        Thread server = Thread.ofPlatform().start(() -> status.set(new CommandLine(new BatonCommand(), factory).execute(
                "federation", "--listen", "127.0.0.1:" + port, "--basic-auth-users", users.toString(),
                "--data-dir", dir.resolve("data").toString(),
                "--keystore", keystore.toString(), "--keystore-password-file", passwordFile.toString())));
        try {
            // Trusting only the operator's certificate: a handshake with any other certificate fails.
            SSLContext trustOperator = SSLContext.getInstance("TLS");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("operator", expected);
            tmf.init(trust);
            trustOperator.init(null, tmf.getTrustManagers(), null);
            Certificate[] presented = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                try (SSLSocket s = (SSLSocket) trustOperator.getSocketFactory().createSocket("127.0.0.1", port)) {
                    s.startHandshake();
                    return s.getSession().getPeerCertificates();
                }
            }, c -> c.length > 0);
            assertThat(presented[0]).isEqualTo(expected);
            assertThat(((X509Certificate) presented[0]).getSubjectX500Principal().getName()).contains("CN=federation.operator.test");
            assertThat(dir.resolve("data/federation-tls.p12")).as("no certificate generated").doesNotExist();
        } finally {
            federation.stop.countDown();
            server.join(10_000);
        }
        assertThat(status.get()).isZero();
    }

    @Test
    void aWrongPasswordInThePasswordFileIsAConfigurationErrorNamingTheKeystore() throws Exception {
        Path keystore = dir.resolve("operator.p12");
        SelfSignedCertificate.loadOrCreate(keystore, "right".toCharArray(), "federation.operator.test");
        Path passwordFile = Files.writeString(dir.resolve("keystore.pass"), "wrong\n");
        Path users = Files.writeString(dir.resolve("users.txt"), "gw-a:secret\n");
        java.io.StringWriter err = new java.io.StringWriter();
        int status = BatonCommand.execute(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err),
                "federation", "--listen", "127.0.0.1:0", "--basic-auth-users", users.toString(),
                "--keystore", keystore.toString(), "--keystore-password-file", passwordFile.toString());
        assertThat(status).isEqualTo(ResultCode.CONFIGURATION.exitStatus());
    }

    @Test
    void everyOptionIsParsedOnceByPicocliAndReachesTheServersConfiguration() throws Exception {
        java.nio.file.Path users = java.nio.file.Files.writeString(dir.resolve("users.txt"), "gw-a:pw-a\nsensor:pw-s\n");
        java.nio.file.Path policy = java.nio.file.Files.writeString(dir.resolve("policy.yaml"), "clients:\n  gw-a: gateway\n");
        FederationCommand cmd = new FederationCommand();
        new picocli.CommandLine(cmd).parseArgs("--listen", "[::1]:0", "--basic-auth-users", users.toString(), "--policy",
                policy.toString(), "--max-search-depth", "3", "--max-search-size", "50000");
        var config = dev.baton.ifmap.server.FederationServerMain.configure(cmd.options()).config();
        assertThat(config.host()).isEqualTo("::1");
        assertThat(config.searchLimits()).isEqualTo(new dev.baton.ifmap.server.SearchLimits(3, 50_000));
        assertThat(config.rights().apply("gw-a").publishSessions()).isTrue();
        assertThat(config.rights().apply("sensor").publishSessions()).isFalse();
        assertThatThrownBy(() -> new picocli.CommandLine(new FederationCommand()).parseArgs("--basic-auth-users",
                users.toString(), "--max-search-depth", "deep")).hasMessageContaining("--max-search-depth");
    }

    @Test
    void theAdminOptionsReachTheConfigurationAndAdminPortAloneIsRefusedNamingBothOptions() throws Exception {
        java.nio.file.Path users = java.nio.file.Files.writeString(dir.resolve("users.txt"), "gw-a:pw-a\n");
        java.nio.file.Path operators = dir.resolve("operators.yaml");
        java.nio.file.Files.writeString(operators, "operators:\n  root: {role: admin, password-hash: \""
                + dev.baton.core.Argon2id.hash("pw".toCharArray(), 1024, 1) + "\"}\n");
        java.nio.file.Files.setPosixFilePermissions(operators,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        FederationCommand cmd = new FederationCommand();
        new picocli.CommandLine(cmd).parseArgs("--basic-auth-users", users.toString(), "--admin-port", "9555",
                "--operators", operators.toString());
        var admin = dev.baton.ifmap.server.FederationServerMain.configure(cmd.options()).config().admin();
        assertThat(admin.host()).isEqualTo("127.0.0.1");
        assertThat(admin.port()).isEqualTo(9555);

        java.io.StringWriter err = new java.io.StringWriter();
        int status = BatonCommand.execute(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err),
                "federation", "--listen", "127.0.0.1:0", "--basic-auth-users", users.toString(), "--admin-port", "0");
        assertThat(status).isEqualTo(ResultCode.CONFIGURATION.exitStatus());
    }
}
