package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.ThrowawayApacheOidc;
import dev.baton.testing.ThrowawayApacheOidc.Application;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Browser single sign-on (issue 17) with a real relying party nobody here wrote and a real browser: Apache httpd
 * with mod_auth_openidc ({@link ThrowawayApacheOidc}) protects {@code /app1/} and {@code /app2/}, each with its
 * own client id, against the OpenID Connect provider of a {@code baton gateway} process whose sessions are in
 * PostgreSQL (a database of its own, dropped at the end) and whose clock is simulated; Debian's Chromium, headless,
 * is the browser. The provider is {@code https://localhost:PORT}, the applications {@code http://127.0.0.1:PORT}:
 * cookies are not port-specific, so only different host names keep the applications' cookies apart from the
 * provider's, and a test deletes an application's session cookie to send the browser back to the provider.
 *
 * <p>Realms: {@code users} (not persistent, with "keep me signed in"), {@code staff} (persistent) and
 * {@code kiosk} (idle timeout 3 minutes, so that moving the clock past it stays inside mod_auth_openidc's 600 s
 * slack on an ID token's {@code iat}). Fails when Chromium, Apache with mod_auth_openidc or PostgreSQL is missing,
 * unless {@code -Dbaton.allowSkip=true}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserSsoIT {
    static final String GW = "gw-sso";
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String SECRET1 = "app1-secret-0123456789abcdef";
    static final String SECRET2 = "app2-secret-0123456789abcdef";

    @TempDir
    static Path dir;
    static String database;
    static ThrowawayApacheOidc apache;
    static Cluster cluster;
    static SimulatedClock clock;
    static int ssoPort;
    static URI issuer;
    static String yaml;
    static final List<WebDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        requireChromium();
        ThrowawayApacheOidc.missing().ifPresent(BrowserSsoIT::missing);
        database = "baton_sso_it_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        sql("test", "CREATE DATABASE " + database);
        ssoPort = BatonProcess.freePort();
        issuer = URI.create("https://localhost:" + ssoPort);
        apache = ThrowawayApacheOidc.start(issuer.resolve("/.well-known/openid-configuration"), List.of(
                new Application("app1", "app1", SECRET1, "openid profile email roles"),
                new Application("app2", "app2", SECRET2, "openid profile")));
        cluster = new Cluster(dir).startFederation(GW);
        clock = new SimulatedClock(dir.resolve("clock-offset"));
        yaml = gatewayYaml();
        startGateway();
    }

    static void requireChromium() {
        if (!Files.isExecutable(ConsoleBrowserIT.CHROMIUM) || !Files.isExecutable(ConsoleBrowserIT.CHROMEDRIVER)) {
            missing("chromium and chromedriver not found; install Debian's chromium and chromium-driver "
                    + "(scripts/prepare-test-env.sh does)");
        }
    }

    static void missing(String why) {
        if (Boolean.getBoolean("baton.allowSkip")) {
            Assumptions.abort(why + "; skipped because baton.allowSkip=true");
        }
        throw new IllegalStateException(why + " (or set -Dbaton.allowSkip=true to skip)");
    }

    /** Runs one statement on PostgreSQL's {@code db} as postgres (trust authentication). */
    static void sql(String db, String statement) {
        try (Connection c = DriverManager.getConnection(PG + db, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            if (database == null || statement.startsWith("CREATE DATABASE")) {
                missing("PostgreSQL must run at " + PG + "test (user postgres, trust authentication): " + e.getMessage());
            }
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    static String gatewayYaml() {
        String app1 = apache.home("app1").toString();
        String app2 = apache.home("app2").toString();
        return cluster.gatewayBasics(GW, "remote-access",
                "{ type: postgresql, url: \"" + PG + database + "\", user: postgres, password: trust-auth-ignores-it }") + """
                roles:
                  staff: { max-session-length: 8h, idle-timeout: 30m, heartbeat-timeout: 20m }
                  brief: { max-session-length: 8h, idle-timeout: 3m, heartbeat-timeout: 20m }
                admission: { free-failures-per-user: 1, lock-after: 1, lock-duration: 15m, base-delay: 1s, max-delay: 2s }
                realms:
                  - name: users
                    auth-server: { kind: local, accounts: [%1$s, %2$s, %3$s, %4$s, %5$s] }
                    role-mapping: [ { when: ["username=*"], roles: [staff] } ]
                  - name: staff
                    auth-server: { kind: local, accounts: [%6$s] }
                    role-mapping: [ { when: ["username=*"], roles: [staff] } ]
                  - name: kiosk
                    auth-server: { kind: local, accounts: [%7$s] }
                    role-mapping: [ { when: ["username=*"], roles: [brief] } ]
                sso:
                  listen: 127.0.0.1:%8$d
                  issuer: %9$s
                  realms:
                    users: { persistent: false, keep-me-signed-in: true }
                    staff: { persistent: true }
                    kiosk: { persistent: false }
                  clients:
                    app1:
                      secret: %10$s
                      redirect-uris: [%11$sredirect_uri]
                      post-logout-redirect-uris: [%11$s]
                      backchannel-logout-uri: "%11$sredirect_uri?logout=backchannel"
                      scopes: [openid, profile, email, roles]
                    app2:
                      secret: %12$s
                      redirect-uris: [%13$sredirect_uri]
                      post-logout-redirect-uris: [%13$s]
                      backchannel-logout-uri: "%13$sredirect_uri?logout=backchannel"
                      scopes: [openid, profile]
                """.formatted(Cluster.account("alice"), Cluster.account("bob"), Cluster.account("erin"),
                Cluster.account("frank"), Cluster.account("grace"), Cluster.account("carol"), Cluster.account("dave"),
                ssoPort, issuer, SECRET1, app1, SECRET2, app2);
    }

    /** Starts (or starts again) the gateway and waits until its provider answers discovery. */
    static void startGateway() {
        cluster.startGateway(GW, yaml, clock);
        OidcHttpClient probe = new OidcHttpClient(issuer);
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (probe.get("/.well-known/openid-configuration").statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("the provider does not answer at " + issuer + ":\n"
                            + cluster.gateways.get(GW).output(), notYet);
                }
            }
            BatonProcess.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        browsers.forEach(WebDriver::quit);
        if (cluster != null) {
            cluster.close();
        }
        if (apache != null) {
            apache.close();
        }
        if (database != null) {
            sql("test", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    @Order(1)
    void signingInOnceAtOneApplicationOpensTheOtherWithoutASignInPageAndSigningOutEndsBoth() {
        WebDriver b = browser(dir.resolve("profile-sso"));
        assertThat(visit(b, "app1")).isEqualTo(Page.SIGN_IN);
        signIn(b, "users", "alice", Cluster.PASSWORD, false);
        assertThat(page(b)).as(diagnosis(b)).isEqualTo(Page.APPLICATION);
        assertThat(user(b)).isEqualTo("alice");
        assertThat(b.findElement(By.id("username")).getText()).as("the profile scope's preferred_username").isEqualTo("alice");
        assertThat(b.getCurrentUrl()).startsWith(apache.home("app1").toString());

        // No form is filled in from here on: reaching app 2's page proves no sign-in page stood in the way.
        assertThat(visit(b, "app2")).as(diagnosis(b)).isEqualTo(Page.APPLICATION);
        assertThat(user(b)).isEqualTo("alice");
        assertThat(b.getCurrentUrl()).startsWith(apache.home("app2").toString());

        b.get(apache.logout("app1", apache.home("app1")).toString());
        assertThat(awaitPage(b)).as("signed out, app 1's post-logout page asks for a sign-in: " + diagnosis(b))
                .isEqualTo(Page.SIGN_IN);
        assertThat(visit(b, "app1")).isEqualTo(Page.SIGN_IN);
        assertThat(visit(b, "app2")).as("app 2 was told by back-channel logout: " + diagnosis(b)).isEqualTo(Page.SIGN_IN);
    }

    @Test
    @Order(2)
    void aPersistentSessionOutlivesTheBrowserAndANonPersistentOneDoesNot() {
        Path persistent = dir.resolve("profile-persistent");
        Path kept = dir.resolve("profile-kept");
        Path plain = dir.resolve("profile-plain");
        signInAndQuit(persistent, "staff", "carol", false);
        signInAndQuit(kept, "users", "grace", true);
        signInAndQuit(plain, "users", "frank", false);

        WebDriver again = browser(persistent);
        assertThat(visit(again, "app2")).as("realm staff is persistent: " + diagnosis(again)).isEqualTo(Page.APPLICATION);
        assertThat(user(again)).isEqualTo("carol");
        WebDriver keptAgain = browser(kept);
        assertThat(visit(keptAgain, "app2")).as("keep me signed in: " + diagnosis(keptAgain)).isEqualTo(Page.APPLICATION);
        assertThat(user(keptAgain)).isEqualTo("grace");
        WebDriver plainAgain = browser(plain);
        assertThat(visit(plainAgain, "app2")).as("realm users is not persistent").isEqualTo(Page.SIGN_IN);
        List.of(again, keptAgain, plainAgain).forEach(this::quit);
    }

    private void signInAndQuit(Path profile, String realm, String user, boolean keep) {
        WebDriver b = browser(profile);
        assertThat(visit(b, "app1")).isEqualTo(Page.SIGN_IN);
        signIn(b, realm, user, Cluster.PASSWORD, keep);
        assertThat(page(b)).as(diagnosis(b)).isEqualTo(Page.APPLICATION);
        quit(b);
    }

    @Test
    @Order(3)
    void aSessionSurvivesARestartOfTheGatewayWithPostgresqlStorage() throws Exception {
        WebDriver b = browser(dir.resolve("profile-restart"));
        visit(b, "app1");
        signIn(b, "users", "alice", Cluster.PASSWORD, false);
        assertThat(page(b)).as(diagnosis(b)).isEqualTo(Page.APPLICATION);

        cluster.gateways.get(GW).close();
        startGateway();
        forgetApplications(b);
        assertThat(visit(b, "app1")).as("the restarted gateway found the session in PostgreSQL: " + diagnosis(b))
                .isEqualTo(Page.APPLICATION);
        assertThat(user(b)).isEqualTo("alice");
        assertThat(storedAuthenticationSessions("alice")).as("alice's authentication sessions in " + database).isPositive();
        quit(b);
    }

    @Test
    @Order(4)
    void aWrongPasswordAndAThrottledAccountAreRefusedWithTheirErrors() {
        WebDriver b = browser(dir.resolve("profile-wrong"));
        visit(b, "app1");
        signIn(b, "users", "frank", "not his password", false);
        assertThat(page(b)).isEqualTo(Page.SIGN_IN);
        assertThat(b.findElement(By.id("error")).getText()).as("the error says what went wrong")
                .contains("Wrong user name or password");
        assertThat(b.findElement(By.id("error")).getAttribute("role")).isEqualTo("alert");
        signIn(b, "users", "frank", Cluster.PASSWORD, false);
        assertThat(page(b)).as("the right password after one wrong one: " + diagnosis(b)).isEqualTo(Page.APPLICATION);
        quit(b);

        OidcHttpClient client = new OidcHttpClient(issuer);
        String verifier = OidcHttpClient.newVerifier();
        HttpResponse<String> wrong = client.signIn(client.authorize("app1", apache.redirectUri("app1"), verifier),
                "users", "bob", "not his password");
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
        assertThat(wrong.body()).contains("id=\"error\"");
        int status = 401;
        for (int i = 0; i < 6 && status != 429; i++) {
            status = client.signIn(client.authorize("app1", apache.redirectUri("app1"), verifier), "users", "bob",
                    "still not his password").statusCode();
        }
        assertThat(status).as("repeated wrong passwords throttle the account").isEqualTo(429);
        HttpResponse<String> right = client.signIn(client.authorize("app1", apache.redirectUri("app1"), verifier),
                "users", "bob", Cluster.PASSWORD);
        assertThat(right.statusCode()).as("a throttled account is refused even with its password").isEqualTo(429);
        assertThat(right.body()).contains("role=\"alert\"", "id=\"error\"", "Too many failed sign-ins");
        assertThat(right.headers().firstValue("Retry-After")).isPresent();
        assertThat(right.headers().firstValue("Location")).isEmpty();
    }

    @Test
    @Order(5)
    void aTamperedSessionCookieGetsTheSignInPage() {
        WebDriver b = browser(dir.resolve("profile-tampered"));
        visit(b, "app1");
        signIn(b, "users", "alice", Cluster.PASSWORD, false);
        assertThat(page(b)).as(diagnosis(b)).isEqualTo(Page.APPLICATION);
        forgetApplications(b);
        assertThat(visit(b, "app1")).as("the untouched cookie signs in silently").isEqualTo(Page.APPLICATION);

        Map<String, Object> cookie = providerCookie(b, "__Host-baton-sso");
        String value = (String) cookie.get("value");
        String tampered = value.substring(0, value.length() - 1) + (value.endsWith("A") ? "B" : "A");
        cdp(b, "Network.setCookie", Map.of("name", "__Host-baton-sso", "value", tampered, "url", issuer + "/",
                "path", "/", "secure", true, "httpOnly", true, "sameSite", "Lax"));
        assertThat(providerCookie(b, "__Host-baton-sso").get("value")).isEqualTo(tampered);
        forgetApplications(b);
        assertThat(visit(b, "app1")).as("a tampered cookie is no session").isEqualTo(Page.SIGN_IN);
        quit(b);
    }

    @Test
    @Order(6)
    void anUnregisteredRedirectUriAnUnknownClientAndAMissingOrWrongPkceVerifierAreRefused() {
        OidcHttpClient client = new OidcHttpClient(issuer);
        URI redirect = apache.redirectUri("app1");
        String v1 = OidcHttpClient.newVerifier();
        HttpResponse<String> signedIn = client.signIn(client.authorize("app1", redirect, v1), "users", "erin", Cluster.PASSWORD);
        assertThat(signedIn.statusCode()).as("a redirect after the sign-in POST: " + signedIn.body()).isIn(302, 303);
        HttpResponse<String> none = client.token("app1", SECRET1, OidcHttpClient.code(signedIn), redirect, null);
        assertInvalidGrant(none, "no verifier");
        assertThat(none.body()).contains("code_verifier is required");

        String v2 = OidcHttpClient.newVerifier();
        HttpResponse<String> again = client.authorize("app1", redirect, v2);
        assertThat(again.statusCode()).as("the session gives a code without a page").isEqualTo(302);
        HttpResponse<String> wrong = client.token("app1", SECRET1, OidcHttpClient.code(again), redirect,
                OidcHttpClient.newVerifier());
        assertInvalidGrant(wrong, "a wrong verifier");
        assertThat(wrong.body()).contains("does not match the code_challenge");

        String v3 = OidcHttpClient.newVerifier();
        String code = OidcHttpClient.code(client.authorize("app1", redirect, v3));
        HttpResponse<String> tokens = client.token("app1", SECRET1, code, redirect, v3);
        assertThat(tokens.statusCode()).as("the right verifier: " + tokens.body()).isEqualTo(200);
        assertThat(tokens.body()).contains("\"id_token\"", "\"access_token\"");
        assertInvalidGrant(client.token("app1", SECRET1, code, redirect, v3), "a used code");

        HttpResponse<String> evil = client.authorize("app1", URI.create("http://127.0.0.1:9/steal"), v1);
        assertThat(evil.statusCode()).as("an unregistered redirect URI").isEqualTo(400);
        assertThat(evil.headers().firstValue("Location")).as("never a redirect").isEmpty();
        HttpResponse<String> unknown = client.authorize("nobody", redirect, v1);
        assertThat(unknown.statusCode()).as("an unknown client").isEqualTo(400);
        assertThat(unknown.headers().firstValue("Location")).isEmpty();
    }

    private static void assertInvalidGrant(HttpResponse<String> r, String what) {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(400);
        assertThat(r.body()).as(what).contains("invalid_grant").doesNotContain("id_token");
    }

    @Test
    @Order(7)
    void idleBeyondTheRealmsIdleTimeoutMeansTheSignInPageAgain() {
        WebDriver b = browser(dir.resolve("profile-idle"));
        visit(b, "app1");
        signIn(b, "kiosk", "dave", Cluster.PASSWORD, false);
        assertThat(page(b)).as(diagnosis(b)).isEqualTo(Page.APPLICATION);
        forgetApplications(b);
        assertThat(visit(b, "app1")).as("live before the clock moves").isEqualTo(Page.APPLICATION);
        WebDriver other = browser(dir.resolve("profile-not-idle"));
        visit(other, "app1");
        signIn(other, "users", "alice", Cluster.PASSWORD, false);
        assertThat(page(other)).as(diagnosis(other)).isEqualTo(Page.APPLICATION);

        clock.moveTo(clock.now().plus(Duration.ofMinutes(4)));
        forgetApplications(b);
        assertThat(visit(b, "app1")).as("4 minutes idle in a realm with a 3-minute idle timeout").isEqualTo(Page.SIGN_IN);
        forgetApplications(other);
        assertThat(visit(other, "app1")).as("4 minutes idle in a realm with a 30-minute idle timeout: " + diagnosis(other))
                .isEqualTo(Page.APPLICATION);
        quit(other);
        signIn(b, "kiosk", "dave", Cluster.PASSWORD, false);
        assertThat(page(b)).as("a new sign-in works with the moved clock: " + diagnosis(b)).isEqualTo(Page.APPLICATION);
        quit(b);
    }

    // ---- the browser ----

    enum Page { APPLICATION, SIGN_IN, OTHER }

    static WebDriver browser(Path profile) {
        WebDriver b = ConsoleBrowserIT.chromium(profile);
        browsers.add(b);
        return b;
    }

    void quit(WebDriver b) {
        browsers.remove(b);
        b.quit();
    }

    static Page visit(WebDriver b, String app) {
        b.get(apache.home(app).toString());
        return awaitPage(b);
    }

    /** Waits until the page is an application's (it shows the user) or the provider's sign-in page. */
    static Page awaitPage(WebDriver b) {
        try {
            new WebDriverWait(b, Duration.ofSeconds(15)).until(d -> page(d) != Page.OTHER);
        } catch (org.openqa.selenium.TimeoutException e) {
            return Page.OTHER;
        }
        return page(b);
    }

    static Page page(WebDriver b) {
        if (!b.findElements(By.id("user")).isEmpty()) {
            return Page.APPLICATION;
        }
        return b.getCurrentUrl().startsWith(issuer.toString()) && !b.findElements(By.name("password")).isEmpty()
                ? Page.SIGN_IN : Page.OTHER;
    }

    static String user(WebDriver b) {
        return b.findElement(By.id("user")).getText();
    }

    /** Fills in and sends the provider's sign-in form, then waits for where it leads. */
    static void signIn(WebDriver b, String realm, String user, String password, boolean keep) {
        assertThat(page(b)).as("a sign-in page: " + diagnosis(b)).isEqualTo(Page.SIGN_IN);
        // One form per realm, each with the realm as a hidden field; or one form with a realm to choose.
        List<WebElement> forms = b.findElements(By.xpath("//form[.//input[@type='hidden' and @name='realm' and @value='"
                + realm + "']]"));
        WebElement form = forms.isEmpty() ? b.findElement(By.xpath("//form[.//input[@name='password']]")) : forms.get(0);
        List<WebElement> choice = form.findElements(By.cssSelector("select[name=realm]"));
        if (!choice.isEmpty()) {
            new Select(choice.get(0)).selectByValue(realm);
        }
        WebElement name = form.findElement(By.name("username"));
        name.clear();
        name.sendKeys(user);
        WebElement secret = form.findElement(By.name("password"));
        secret.clear();
        secret.sendKeys(password);
        if (keep) {
            form.findElement(By.name("keep")).click();
        }
        String before = b.getCurrentUrl();
        secret.submit();
        new WebDriverWait(b, Duration.ofSeconds(15)).until(d -> !d.getCurrentUrl().equals(before) || page(d) != Page.OTHER);
        awaitPage(b);
    }

    /** Deletes both applications' session cookies, so mod_auth_openidc sends the browser to the provider again. */
    static void forgetApplications(WebDriver b) {
        for (String app : apache.applications()) {
            cdp(b, "Network.deleteCookies", Map.of("name", apache.sessionCookie(app), "domain", "127.0.0.1"));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> providerCookie(WebDriver b, String name) {
        Map<String, Object> r = cdp(b, "Network.getCookies", Map.of("urls", List.of(issuer + "/")));
        return ((List<Map<String, Object>>) r.get("cookies")).stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + name + " for " + issuer + " in " + r));
    }

    static Map<String, Object> cdp(WebDriver b, String command, Map<String, Object> params) {
        return ((ChromeDriver) b).executeCdpCommand(command, params);
    }

    static String diagnosis(WebDriver b) {
        String source = b.getPageSource();
        return "at " + b.getCurrentUrl() + "\n" + source.substring(0, Math.min(source.length(), 2000))
                + "\nApache:\n" + tail(apache.errorLog()) + "\ngateway:\n" + tail(cluster.gateways.get(GW).output());
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 3000));
    }

    /**
     * How many authentication sessions of {@code user} PostgreSQL holds: the provider keeps them in the gateway's
     * session table, owned by {@code <gateway>/sso} (the contract had said tables of their own, {@code baton_sso_*}).
     */
    static int storedAuthenticationSessions(String user) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG + database, "postgres", "");
                PreparedStatement q = c.prepareStatement(
                        "SELECT count(*) FROM baton_sessions WHERE owner_gateway = ? AND user_name = ?")) {
            q.setString(1, GW + "/sso");
            q.setString(2, user);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
