package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.core.ResultCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The federation command: options, failures with exit statuses, and a server that answers. */
class FederationServerMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FederationServerMain main = new FederationServerMain(new PrintStream(out, true),
            new PrintStream(err, true));

    /** Options as the command line gives them: loopback, any port, {@code users}, nothing else. */
    private static FederationServerMain.Options options(Path users) {
        return new FederationServerMain.Options("127.0.0.1", 0, users, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    private static FederationServerMain.Options replica(Path users, Long compaction) {
        return new FederationServerMain.Options("127.0.0.1", 0, users, null, null, null, "jdbc:postgresql://127.0.0.1/x",
                null, null, "fed", compaction, null, null, null);
    }

    private static FederationServerMain.Options admin(Path users, String host, Integer port, Path operators) {
        return new FederationServerMain.Options("127.0.0.1", 0, users, null, null, null, null, null, null, null, null,
                null, null, null, host, port, operators);
    }

    @Test
    void adminPortNeedsAnOperatorsFileAndListensOnLoopbackByDefault() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "gw-a:secret\n");
        assertThat(main.run(admin(users, null, 0, null), new CountDownLatch(0))).isEqualTo(ResultCode.CONFIGURATION.exitStatus());
        assertThat(err.toString()).contains("--admin-port").contains("--operators");
        assertThat(FederationServerMain.configure(options(users)).config().admin()).isNull();

        Path operators = dir.resolve("operators.yaml");
        Files.writeString(operators, "operators:\n  root: {role: admin, password-hash: \""
                + dev.baton.core.Argon2id.hash("pw".toCharArray(), 1024, 1) + "\"}\n");
        Files.setPosixFilePermissions(operators, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        IfmapServerConfig.Admin a = FederationServerMain.configure(admin(users, null, 9444, operators)).config().admin();
        assertThat(a.host()).isEqualTo("127.0.0.1");
        assertThat(a.port()).isEqualTo(9444);
        assertThat(a.operators().size()).isEqualTo(1);
        assertThat(FederationServerMain.configure(admin(users, "0.0.0.0", 9444, operators)).config().admin().host())
                .isEqualTo("0.0.0.0");
    }

    @Test
    void missingUsersFileIsAConfigurationErrorNamingTheOption() {
        int status = main.run(options(null), new CountDownLatch(0));
        assertThat(status).isEqualTo(ResultCode.CONFIGURATION.exitStatus());
        assertThat(err.toString()).contains("--basic-auth-users");
    }

    @Test
    void badUsersLineIsReportedWithFileAndLine() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "gw-a:secret\nnonsense\n");
        int status = main.run(options(users), new CountDownLatch(0));
        assertThat(status).isEqualTo(ResultCode.CONFIGURATION.exitStatus());
        assertThat(err.toString()).contains("line 2").contains("user:password");
    }

    @Test
    void compactionIntervalReachesTheReplicaConfigurationAndBadValuesNameTheOption() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "gw-a:secret\n");
        assertThat(FederationServerMain.configure(replica(users, null)).config().replication().compactionInterval())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(FederationServerMain.configure(replica(users, 60L)).config().replication().compactionInterval())
                .isEqualTo(Duration.ofSeconds(60));

        assertThat(main.run(replica(users, 0L), new CountDownLatch(0))).isEqualTo(ResultCode.CONFIGURATION.exitStatus());
        assertThat(err.toString()).contains("--compaction-interval must be a positive number of seconds");
        FederationServerMain.Options single = new FederationServerMain.Options("127.0.0.1", 0, users, null, null, null,
                null, null, null, null, 60L, null, null, null);
        assertThat(main.run(single, new CountDownLatch(0))).isEqualTo(ResultCode.CONFIGURATION.exitStatus());
        assertThat(err.toString()).contains("--compaction-interval needs --replicas");
    }

    @Test
    void serverStartsAnswersNewSessionAndStopsWithStatusZero() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "# gateways\ngw-a:secret-a\n");
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger status = new AtomicInteger(-1);
        FederationServerMain.Options withData = new FederationServerMain.Options("127.0.0.1", 0, users, dir.resolve("data"),
                null, null, null, null, null, null, null, null, null, null);
        Thread t = Thread.ofPlatform().start(() -> status.set(main.run(withData, stop)));
        await().atMost(Duration.ofSeconds(60)).until(() -> out.toString().contains("listening on"));
        Matcher m = Pattern.compile("(https://\\S+)").matcher(out.toString());
        assertThat(m.find()).isTrue();
        HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(m.group(1)))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("gw-a:secret-a"
                        .getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/"
                        + "soap-envelope\"><env:Body><ifmap:newSession xmlns:ifmap=\"http://www.trustedcomputinggroup"
                        + ".org/2010/IFMAP/2\"/></env:Body></env:Envelope>")).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).contains("newSessionResult").contains("ifmap-publisher-id=\"gw-a\"");
        assertThat(dir.resolve("data/federation-tls.p12")).exists();
        stop.countDown();
        t.join(10_000);
        assertThat(status.get()).isZero();
    }

    private static SSLContext trustAll() throws Exception {
        // The generated certificate is not known before the run; this test checks the CLI, not TLS trust.
        TrustManager tm = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
        return ctx;
    }
}
