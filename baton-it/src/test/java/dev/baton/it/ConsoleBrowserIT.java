package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.baton.admin.AdminServer;
import dev.baton.admin.AuditLog;
import dev.baton.admin.Console;
import dev.baton.admin.DashboardSource;
import dev.baton.admin.Operator;
import dev.baton.admin.OperatorRole;
import dev.baton.admin.Operators;
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
import dev.baton.gateway.InMemoryFederation;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.admin.GatewayAdmin;
import dev.baton.http.tls.SelfSignedCertificate;
import dev.baton.store.MemorySessionStore;
import dev.baton.store.TieredStoreSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The admin console in a real browser: Debian's Chromium, headless, driven by its chromedriver. An in-JVM
 * gateway holds alice's and bob's sessions; its admin listener serves the console. An operator signs in,
 * finds alice's sessions, revokes one after confirming, and that agent's next request is refused; a form
 * posted from a page of another origin is refused; an auditor sees no revoke button. With
 * {@code -Dbaton.screenshots.dir=docs/images} it saves the dashboard and the session list as PNGs.
 */
class ConsoleBrowserIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dir;
    static Gateway gateway;
    static AdminServer admin;
    static HttpServer otherSite;
    static WebDriver browser;
    static String base;
    static final Map<String, KeyPair> keys = new LinkedHashMap<>();
    static final Map<String, String> ids = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("chromium and chromedriver not found; install Debian's chromium and "
                    + "chromium-driver (scripts/prepare-test-env.sh does)");
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Realm realm = Realm.simple("users", AuthServerKind.LOCAL, "corp", "staff");
        SessionOptions options = new SessionOptions(Duration.ofHours(8), Duration.ofMinutes(30), Duration.ofMinutes(10), false);
        LocalAccounts accounts = new LocalAccounts(1024, 1).add("alice", "secret".toCharArray(), Map.of())
                .add("bob", "secret".toCharArray(), Map.of());
        gateway = new Gateway(new GatewayConfig("gw-east", GatewayKind.REMOTE_ACCESS, true,
                List.of(new RealmBinding(realm, accounts)),
                new AccessPolicy(List.of(new Role("staff", options, List.of())), List.of())),
                new InMemoryFederation(Runnable::run), InstantSource.system(), new MemorySessionStore(),
                TieredStoreSettings.DEFAULTS, registry);
        for (String who : List.of("alice-laptop:alice", "alice-phone:alice", "bob-laptop:bob")) {
            String[] p = who.split(":");
            KeyPair k = ProofOfPossession.newKeyPair();
            keys.put(p[0], k);
            ids.put(p[0], gateway.signIn(new SignInRequest("users", p[1], "secret", Map.of(),
                    ProofOfPossession.encode(k.getPublic()))).sessionId());
        }
        List<dev.baton.admin.ApiRoute> routes = new GatewayAdmin(gateway, AuditLog.DISCARD, InstantSource.system(), java.util.Optional.empty()).routes();
        Operators operators = Operators.of(
                Map.of("ops", new Operator("ops", OperatorRole.ADMIN), "watcher", new Operator("watcher", OperatorRole.AUDITOR)),
                Map.of("ops", Argon2id.hash("ops-password".toCharArray(), 1024, 1),
                        "watcher", Argon2id.hash("watcher-password".toCharArray(), 1024, 1)));
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("Session store", "in memory (available)");
        storage.put("Sessions held", gateway.sessionCount());
        storage.put("Expired sessions removed", "every minute");
        admin = AdminServer.builder().tls(SelfSignedCertificate.loadOrCreate(dir.resolve("admin.p12"), "127.0.0.1"))
                .operators(operators).routes(routes)
                .console(Console.builder().routes(routes).dashboard(DashboardSource.of(registry)).storage(() -> storage).build())
                .build().start();
        for (String extra : List.of("bob-tablet", "bob-phone")) {
            KeyPair k = ProofOfPossession.newKeyPair();
            keys.put(extra, k);
            ids.put(extra, gateway.signIn(new SignInRequest("users", "bob", "secret", Map.of(),
                    ProofOfPossession.encode(k.getPublic()))).sessionId());
        }
        base = admin.url().toString();
        otherSite = crossSiteForm(base + "console/revoke-user");
        browser = chromium(dir.resolve("chromium-profile"));
    }

    /** A page of another origin whose form posts to the console by itself when loaded. */
    static HttpServer crossSiteForm(String target) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] page = ("<!DOCTYPE html><html><body><h1>Win a prize</h1><form method=\"post\" action=\"" + target + "\">"
                + "<input type=\"hidden\" name=\"name\" value=\"bob\"><input type=\"hidden\" name=\"csrf\" value=\"guess\">"
                + "<button>Claim</button></form><script>document.forms[0].submit()</script></body></html>")
                .getBytes(StandardCharsets.UTF_8);
        s.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        s.start();
        return s;
    }

    /** Debian's Chromium, headless, with its profile in {@code profile}. */
    static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--ignore-certificate-errors", "--disable-gpu",
                "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (otherSite != null) {
            otherSite.stop(0);
        }
        if (admin != null) {
            admin.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void anOperatorRevokesASessionAfterConfirmingAForeignFormIsRefusedAndAnAuditorCannotRevoke() throws Exception {
        signIn("ops", "ops-password");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard");
        assertThat(browser.findElements(By.cssSelector("figure.chart svg"))).hasSize(3);
        screenshot("console-dashboard.png");

        browser.findElement(By.linkText("Sessions")).click();
        browser.findElement(By.id("f-user")).sendKeys("alice");
        browser.findElement(By.cssSelector("form.search button[type=submit]")).click();
        List<WebElement> rows = browser.findElements(By.cssSelector("table tbody tr"));
        assertThat(rows).hasSize(2);
        assertThat(browser.getPageSource()).doesNotContain(ids.get("alice-laptop"), ids.get("alice-phone"));
        screenshot("console-sessions.png");

        String laptop = SessionId.hashOf(ids.get("alice-laptop")).hex();
        browser.findElement(By.cssSelector("a[href='/console/revoke-session?hash=" + laptop + "']")).click();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Revoke a session?");
        assertThat(access("alice-laptop")).as("nothing changes before confirming").isEqualTo("active");
        browser.findElement(By.xpath("//button[normalize-space()='Revoke this session']")).click();
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains("Revoked 1 session");
        assertThatThrownBy(() -> access("alice-laptop")).isInstanceOf(BatonException.class)
                .hasMessageContaining("it was revoked by an operator")
                .extracting(t -> ((BatonException) t).code()).isEqualTo(ResultCode.SESSION_EXPIRED);
        assertThat(access("alice-phone")).isEqualTo("active");

        browser.get("http://127.0.0.1:" + otherSite.getAddress().getPort() + "/");
        awaitTitle("Request refused");
        assertThat(browser.getPageSource()).contains("sent from another web site");
        assertThat(access("bob-laptop")).as("the foreign form revoked nothing").isEqualTo("active");

        browser.get(base + "console/dashboard");
        browser.findElement(By.xpath("//button[normalize-space()='Sign out']")).click();
        signIn("watcher", "watcher-password");
        browser.get(base + "console/user?name=alice");
        assertThat(browser.findElements(By.cssSelector("table tbody tr"))).hasSize(1);
        assertThat(browser.findElements(By.partialLinkText("Revoke"))).isEmpty();
        assertThat(browser.findElements(By.xpath("//button[contains(., 'Revoke')]"))).isEmpty();
    }

    /** Signs in and waits for the dashboard: the click returns before the redirect's page has replaced the form. */
    private static void signIn(String name, String password) throws InterruptedException {
        browser.get(base + "console/");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign in");
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
        awaitTitle("Dashboard");
    }

    private static void awaitTitle(String h1) throws InterruptedException {
        for (int i = 0; i < 100 && !browser.getPageSource().contains("<h1>" + h1 + "</h1>"); i++) {
            Thread.sleep(100);
        }
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(h1);
    }

    private static String access(String agent) {
        String id = ids.get(agent);
        String challenge = gateway.challenge().value();
        String signature = ProofOfPossession.sign(keys.get(agent).getPrivate(), GatewayEndpoint.ACCESS, gateway.name(),
                SessionId.hashOf(id), challenge);
        return gateway.access(new SessionProof(id, challenge, signature)).outcome();
    }

    private static void screenshot(String name) throws Exception {
        String to = System.getProperty("baton.screenshots.dir", "");
        if (!to.isBlank()) {
            Path out = Path.of(to).resolve(name);
            Files.createDirectories(out.getParent());
            Files.write(out, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        }
    }
}
