package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.admin.AuditLog;
import dev.baton.admin.Operator;
import dev.baton.admin.OperatorRole;
import dev.baton.admin.Operators;
import dev.baton.agent.AgentTls;
import dev.baton.core.AccessPolicy;
import dev.baton.core.Argon2id;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.Realm;
import dev.baton.core.ResultCode;
import dev.baton.core.Role;
import dev.baton.core.SessionId;
import dev.baton.core.SessionOptions;
import dev.baton.core.api.GatewayEndpoint;
import dev.baton.core.api.SessionProof;
import dev.baton.core.api.SignInRequest;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.IfmapFederation;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import dev.baton.ifmap.FederationClient;
import dev.baton.ifmap.FederationClientConfig;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;
import dev.baton.ifmap.server.IfmapServerConfig;
import dev.baton.store.MemorySessionStore;
import dev.baton.store.TieredStoreSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.KeyPair;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The federation-wide view in a real browser: a federation server with its admin listener and console, two
 * gateways (in this JVM, talking IF-MAP over HTTPS to it) each holding one of alice's sessions. An operator
 * signs in to the federation's console, finds alice's sessions on both gateways, revokes them all after
 * confirming, and alice's agents are refused at both; an auditor finds them too but gets no revoke button.
 */
class FederationConsoleBrowserIT {
    @TempDir
    static java.nio.file.Path dir;
    static IfmapServer federation;
    static final List<Gateway> gateways = new ArrayList<>();
    static final List<FederationClient> clients = new ArrayList<>();
    static final Map<String, KeyPair> keys = new java.util.LinkedHashMap<>();
    static final Map<String, String> ids = new java.util.LinkedHashMap<>();
    static WebDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Operators operators = Operators.of(
                Map.of("ops", new Operator("ops", OperatorRole.ADMIN), "watcher", new Operator("watcher", OperatorRole.AUDITOR)),
                Map.of("ops", Argon2id.hash("ops-password".toCharArray(), 1024, 1),
                        "watcher", Argon2id.hash("watcher-password".toCharArray(), 1024, 1)));
        federation = IfmapServer.builder().listen("127.0.0.1", 0)
                .users(BasicAuthUsers.of(Map.of("gw-east", "pe", "gw-west", "pw"))).gateways(List.of("gw-east", "gw-west"))
                .dataDirectory(dir.resolve("federation"))
                .admin(new IfmapServerConfig.Admin("127.0.0.1", 0, operators, AuditLog.DISCARD)).build().start();
        for (String[] g : new String[][] {{"gw-east", "pe"}, {"gw-west", "pw"}}) {
            gateways.add(gateway(g[0], g[1]));
        }
        signIn("alice-laptop", "alice", gateways.get(0));
        signIn("alice-phone", "alice", gateways.get(1));
        signIn("bob-laptop", "bob", gateways.get(1));
        base = federation.adminUrl().orElseThrow().toString();
        browser = ConsoleBrowserIT.chromium(dir.resolve("chromium-profile"));
    }

    static Gateway gateway(String name, String password) {
        FederationClient client = FederationClient.connect(FederationClientConfig.of(java.net.URI.create(federation.url()), name, password,
                AgentTls.trustAll(), name));
        clients.add(client);
        SessionOptions options = new SessionOptions(Duration.ofHours(8), Duration.ofMinutes(30), Duration.ofMinutes(10), false);
        LocalAccounts accounts = new LocalAccounts(1024, 1).add("alice", "secret".toCharArray(), Map.of())
                .add("bob", "secret".toCharArray(), Map.of());
        return new Gateway(new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff"), accounts)),
                new AccessPolicy(List.of(new Role("staff", options, List.of())), List.of())),
                new IfmapFederation(client, name), InstantSource.system(), new MemorySessionStore(),
                TieredStoreSettings.DEFAULTS, new SimpleMeterRegistry(), AuditLog.DISCARD);
    }

    static void signIn(String agent, String user, Gateway at) {
        KeyPair k = ProofOfPossession.newKeyPair();
        keys.put(agent, k);
        ids.put(agent, at.signIn(new SignInRequest("users", user, "secret", Map.of(), ProofOfPossession.encode(k.getPublic())))
                .sessionId());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        gateways.forEach(Gateway::close);
        clients.forEach(FederationClient::close);
        if (federation != null) {
            federation.stop();
        }
    }

    @Test
    void anOperatorFindsAUsersSessionsOnEveryGatewayAndRevokesThemEverywhere() {
        browser.get(base + "console/");
        signInAs("watcher", "watcher-password");
        browser.get(base + "console/user?name=alice");
        assertThat(browser.findElement(By.tagName("caption")).getText()).contains("on every gateway");
        assertThat(cells()).contains("gw-east", "gw-west");
        assertThat(browser.findElements(By.partialLinkText("Revoke"))).as("an auditor gets no revoke button").isEmpty();
        browser.findElement(By.xpath("//button[normalize-space()='Sign out']")).click();

        signInAs("ops", "ops-password");
        browser.get(base + "console/user?name=alice");
        assertThat(browser.findElements(By.cssSelector("table tbody tr"))).hasSize(2);
        assertThat(browser.getPageSource()).doesNotContain(ids.get("alice-laptop"), ids.get("alice-phone"));
        browser.findElement(By.partialLinkText("Revoke all sessions of alice")).click();
        assertThat(access("alice-laptop", gateways.get(0))).as("nothing changes before confirming").isEqualTo("active");
        browser.findElement(By.xpath("//button[normalize-space()='Revoke all sessions of alice']")).click();
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains("Revoked 2 sessions");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(refusal("alice-laptop", gateways.get(0))).isEqualTo(ResultCode.SESSION_EXPIRED);
            assertThat(refusal("alice-phone", gateways.get(1))).isEqualTo(ResultCode.SESSION_EXPIRED);
        });
        assertThat(access("bob-laptop", gateways.get(1))).isEqualTo("active");
    }

    /** Signs in and waits for the dashboard: the click returns before the redirect's page has replaced the form. */
    private static void signInAs(String name, String password) {
        browser.get(base + "console/");
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.getPageSource().contains("<h1>Dashboard</h1>"));
    }

    private static List<String> cells() {
        return browser.findElements(By.cssSelector("table tbody td")).stream().map(e -> e.getText()).toList();
    }

    private static String access(String agent, Gateway at) {
        String id = ids.get(agent);
        String challenge = at.challenge().value();
        String signature = ProofOfPossession.sign(keys.get(agent).getPrivate(), GatewayEndpoint.ACCESS, at.name(),
                SessionId.hashOf(id), challenge);
        return at.access(new SessionProof(id, challenge, signature)).outcome();
    }

    private static ResultCode refusal(String agent, Gateway at) {
        try {
            access(agent, at);
        } catch (BatonException e) {
            return e.code();
        }
        return null;
    }
}
