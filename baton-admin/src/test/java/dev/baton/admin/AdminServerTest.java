package dev.baton.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.core.Argon2id;
import dev.baton.http.tls.SelfSignedCertificate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTest {
    @TempDir
    Path dir;
    private AdminServer server;
    private HttpClient http;
    private PrometheusMeterRegistry registry;
    private final List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        SelfSignedCertificate.Identity tls = SelfSignedCertificate.loadOrCreate(dir.resolve("admin.p12"), "127.0.0.1");
        Operators operators = Operators.of(
                Map.of("root", new Operator("root", OperatorRole.ADMIN), "watcher", new Operator("watcher", OperatorRole.AUDITOR)),
                Map.of("root", Argon2id.hash("root-pw".toCharArray(), 1024, 1),
                        "watcher", Argon2id.hash("watcher-pw".toCharArray(), 1024, 1)));
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("baton.test.things").register(registry).increment(3);
        server = AdminServer.builder().listen("127.0.0.1", 0).tls(tls).operators(operators).metrics(registry)
                .route(new ApiRoute("GET", "/things/{name}", OperatorRole.AUDITOR,
                        call -> Map.of("name", call.path("name"), "limit", call.intQuery("limit", 10, 1, 100))))
                .route(new ApiRoute("POST", "/things/{name}/end", OperatorRole.ADMIN, call -> {
                    changes.add(call.path("name") + ":" + call.body().path("reason").asText());
                    return Map.of("ended", true);
                }))
                .build().start();
        http = HttpClient.newBuilder().sslContext(trusting(tls)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void metricsNeedAnOperatorAndUsePrometheusNames() throws Exception {
        HttpResponse<String> anonymous = get("/metrics", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(get("/metrics", basic("watcher", "wrong")).statusCode()).isEqualTo(401);

        HttpResponse<String> scraped = get("/metrics", basic("watcher", "watcher-pw"));
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(scraped.body()).contains("baton_test_things_total 3.0");
    }

    @Test
    void apiAnswersJsonAndChecksTheRoleOfEveryOperation() throws Exception {
        HttpResponse<String> read = get("/api/admin/v1/things/x?limit=5", basic("watcher", "watcher-pw"));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"name\":\"x\"", "\"limit\":5");
        assertThat(read.headers().firstValue("Cache-Control")).hasValue("no-store");

        HttpResponse<String> auditorChanges = post("/api/admin/v1/things/x/end", "{\"reason\":\"r\"}", basic("watcher", "watcher-pw"));
        assertThat(auditorChanges.statusCode()).isEqualTo(403);
        assertThat(auditorChanges.body()).contains("needs admin");
        assertThat(changes).isEmpty();

        HttpResponse<String> adminChanges = post("/api/admin/v1/things/x/end", "{\"reason\":\"r\"}", basic("root", "root-pw"));
        assertThat(adminChanges.statusCode()).isEqualTo(200);
        assertThat(changes).containsExactly("x:r");
    }

    @Test
    void badCallsAreRefusedNamingWhatWasWrong() throws Exception {
        String root = basic("root", "root-pw");
        assertThat(get("/api/admin/v1/things/x?limit=1000", root).body()).contains("limit must be a whole number from 1 to 100");
        assertThat(get("/api/admin/v1/nothing", root).statusCode()).isEqualTo(404);
        assertThat(post("/api/admin/v1/things/x", "{}", root).statusCode()).isEqualTo(405);
        assertThat(post("/api/admin/v1/things/x/end", "{not json", root).statusCode()).isEqualTo(400);
        assertThat(post("/api/admin/v1/things/x/end", "{\"r\":\"" + "a".repeat(70_000) + "\"}", root).statusCode()).isEqualTo(413);
        assertThat(get("/elsewhere", root).statusCode()).isEqualTo(404);
        assertThat(changes).isEmpty();
    }

    @Test
    void anAddressWithTooManyWrongPasswordsIsLockedOutEvenWithTheRightOne() throws Exception {
        for (int i = 0; i < OperatorAuthentication.MAX_FAILURES; i++) {
            assertThat(get("/metrics", basic("root", "guess" + i)).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = get("/metrics", basic("root", "root-pw"));
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void anOperatorWithAClientCertificateFromTheOperatorsFilesCaSignsInWithoutAPassword() throws Exception {
        // The client's certificate is self-signed, so it is its own CA: the operators file trusts exactly it.
        SelfSignedCertificate.Identity client = SelfSignedCertificate.loadOrCreate(dir.resolve("monitor.p12"), "monitor-cert");
        KeyStore ca = KeyStore.getInstance("PKCS12");
        ca.load(null, null);
        ca.setCertificateEntry("operators", client.keyStore().getCertificate(SelfSignedCertificate.ALIAS));
        try (var out = java.nio.file.Files.newOutputStream(dir.resolve("operator-ca.p12"))) {
            ca.store(out, new char[0]);
        }
        java.nio.file.Path file = dir.resolve("operators.yaml");
        java.nio.file.Files.writeString(file, "operators:\n  monitor:\n    role: auditor\n    certificate-cn: monitor-cert\n"
                + "client-ca: operator-ca.p12\n");
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        SelfSignedCertificate.Identity tls = SelfSignedCertificate.loadOrCreate(dir.resolve("admin.p12"), "127.0.0.1");
        try (AdminServer withCa = AdminServer.builder().listen("127.0.0.1", 0).tls(tls).operators(Operators.read(file))
                .metrics(registry).build().start()) {
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(client.keyStore(), client.password());
            SSLContext withCert = SSLContext.getInstance("TLS");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            KeyStore serverTrust = KeyStore.getInstance("PKCS12");
            serverTrust.load(null, null);
            serverTrust.setCertificateEntry("admin", tls.keyStore().getCertificate(SelfSignedCertificate.ALIAS));
            tmf.init(serverTrust);
            withCert.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            HttpClient certClient = HttpClient.newBuilder().sslContext(withCert).build();
            HttpResponse<String> scraped = certClient.send(HttpRequest.newBuilder(withCa.url().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scraped.statusCode()).isEqualTo(200);
            HttpResponse<String> noCert = HttpClient.newBuilder().sslContext(trusting(tls)).build()
                    .send(HttpRequest.newBuilder(withCa.url().resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noCert.statusCode()).isEqualTo(401);
        }
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static SSLContext trusting(SelfSignedCertificate.Identity tls) throws Exception {
        Certificate cert = tls.keyStore().getCertificate(SelfSignedCertificate.ALIAS);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("admin", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

}
