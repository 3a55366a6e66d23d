package dev.baton.cli;

import dev.baton.agent.AgentTls;
import dev.baton.core.Argon2id;
import dev.baton.core.SessionId;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.config.GatewayConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway process's wiring with an {@code sso} section: the provider starts on its own port with the gateway's
 * H2 store, its requests show in /metrics, its authentication sessions in the admin API (and can be revoked there),
 * its sign-ins in the audit file, and {@code --check} reads and reports the section.
 */
class SsoGatewayNodeTest {
    @TempDir
    Path dir;

    private String yaml(String federationUrl, int ssoPort, Path operators) {
        return """
                name: gw-web
                listen: 127.0.0.1:0
                federation: { url: "%s", user: gw-web, password: pw, trust-all: true }
                storage: { type: h2 }
                admin: { listen: "127.0.0.1:0", operators: "%s" }
                roles:
                  staff: { idle-timeout: 30m, max-session-length: 8h }
                realms:
                  - name: users
                    auth-server:
                      kind: local
                      accounts:
                        - { username: alice, password-hash: "%s" }
                    role-mapping:
                      - { when: [], roles: [staff] }
                sso:
                  listen: 127.0.0.1:%d
                  realms: { users: {} }
                  clients:
                    app1: { secret: app1-secret-0123456789, redirect-uris: ["http://127.0.0.1:8081/cb"] }
                """.formatted(federationUrl, operators, new LocalAccounts(1024, 1).hash("alice-pw".toCharArray()), ssoPort);
    }

    @Test
    void theProviderRunsInTheGatewayProcessWithItsStoreMetricsAdminApiAndAudit() throws Exception {
        Path operators = dir.resolve("operators.yaml");
        Files.writeString(operators, "operators:\n  ops:\n    role: admin\n    password-hash: \""
                + Argon2id.hash("ops-pw".toCharArray(), 1024, 1) + "\"\n");
        Files.setPosixFilePermissions(operators, PosixFilePermissions.fromString("rw-------"));
        IfmapServer federation = IfmapServer.builder().listen("127.0.0.1", 0).users(BasicAuthUsers.of(Map.of("gw-web", "pw")))
                .gateways(List.of("gw-web")).dataDirectory(dir.resolve("f")).build().start();
        int port = freePort();
        String config = yaml(federation.url(), port, operators);
        try (GatewayNode node = GatewayNode.start(new GatewayConfigFile().parse(config), dir.resolve("data"), Clock.systemUTC())) {
            assertThat(node.ssoIssuer()).hasValue(URI.create("https://127.0.0.1:" + port));
            CookieManager jar = new CookieManager();
            HttpClient browser = HttpClient.newBuilder().sslContext(AgentTls.trustAll()).cookieHandler(jar).build();
            String authorize = "https://127.0.0.1:" + port + "/authorize?response_type=code&scope=openid&client_id=app1&state=s"
                    + "&redirect_uri=" + URLEncoder.encode("http://127.0.0.1:8081/cb", StandardCharsets.UTF_8);
            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(authorize)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher flow = Pattern.compile("name=\"flow\" value=\"([^\"]+)\"").matcher(page.body());
            assertThat(flow.find()).as(page.body()).isTrue();
            HttpResponse<String> done = browser.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/sign-in"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                            "flow=" + flow.group(1) + "&realm=users&username=alice&password=alice-pw")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(done.statusCode()).isEqualTo(303);
            String cookie = jar.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("__Host-baton-sso"))
                    .map(HttpCookie::getValue).findFirst().orElseThrow();
            String hash = SessionId.hashOf(cookie).hex();

            URI admin = node.adminUrl().orElseThrow();
            assertThat(AdminListenerTest.value(get(admin, "metrics"), "baton_sso_requests_total{endpoint=\"sign-in\",outcome=\"ok\"}"))
                    .isEqualTo(1.0);
            assertThat(get(admin, "api/admin/v1/authentication-sessions?user=alice")).contains(hash, "gw-web/sso").doesNotContain(cookie);
            assertThat(get(admin, "api/admin/v1/sessions?user=alice")).as("not an agent session").doesNotContain(hash);
            assertThat(post(admin, "api/admin/v1/authentication-sessions/users/alice/revoke")).contains(hash);
            HttpResponse<String> again = browser.send(HttpRequest.newBuilder(URI.create(authorize)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).as("revoked: the sign-in page again").isEqualTo(200);
            assertThat(Files.readString(dir.resolve("data/audit/audit.jsonl"))).contains("\"event\":\"sso-sign-in\"", hash)
                    .doesNotContain(cookie);
        } finally {
            federation.stop();
        }
        Path file = dir.resolve("gw-web.yaml");
        Files.writeString(file, config);
        StringWriter out = new StringWriter();
        assertThat(BatonCommand.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "gateway", "--config", file.toString(),
                "--check")).isZero();
        assertThat(out.toString()).contains("browser sign-on: issuer https://127.0.0.1:" + port, "clients [app1]");
        Files.writeString(file, config.replace("realms: { users: {} }", "realms: { nobody: {} }"));
        StringWriter err = new StringWriter();
        assertThat(BatonCommand.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "gateway", "--config", file.toString(),
                "--check")).isEqualTo(10);
        assertThat(err.toString()).contains("sso.realms.nobody", "no realm named 'nobody'");
    }

    private static String get(URI admin, String path) throws Exception {
        return send(HttpRequest.newBuilder(admin.resolve("/" + path)).header("Authorization", basic()).build());
    }

    private static String post(URI admin, String path) throws Exception {
        return send(HttpRequest.newBuilder(admin.resolve("/" + path)).header("Authorization", basic())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static String send(HttpRequest request) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().sslContext(AgentTls.trustAll()).build().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(request.uri() + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString("ops:ops-pw".getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
