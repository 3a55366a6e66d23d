package dev.baton.cli;

import dev.baton.core.SessionId;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.config.GatewayConfigFile;
import dev.baton.gateway.config.GatewaySettings;
import dev.baton.http.tls.SelfSignedCertificate;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The demo's browser part, after the migration story: a federation server, a gateway whose YAML has an {@code sso}
 * section (so it runs Baton's OpenID Connect provider, on the real clock), and a small demo application that
 * signs its users in there ({@link DemoApp}). The demo first drives it with an HTTP client of its own and narrates
 * each step: the sign-in page, the password, the code, the application's page; a second visit after the
 * application forgot the browser, which comes back without a password because of the provider's authentication
 * session; and sign-out. Then, when asked to, it serves until a person has tried it in a browser.
 */
final class BrowserDemo {
    private static final String GATEWAY = "gateway-sso";
    private static final String CLIENT = "demo-app";

    /** What the self-driven browser saw, for tests. */
    record Outcome(URI app, URI issuer, boolean firstVisitSignInPage, String appPage, boolean secondVisitSignInPage,
                   String secondAppPage, List<URI> secondVisit, List<URI> signOut, boolean providerCookieLeft,
                   boolean afterSignOutSignInPage, URI afterSignOutAt) {
    }

    private final PrintWriter out;

    BrowserDemo(PrintWriter out) {
        this.out = out;
    }

    /**
     * Runs the browser part.
     *
     * @param waitForPerson when present, run after the self-driven part while the servers keep serving (returns when
     *                      the person is done); when empty, the demo says it is not waiting and stops
     */
    Outcome run(Optional<Runnable> waitForPerson) {
        try (Servers s = new Servers()) {
            s.start();
            say("Browser sign-on: %s runs Baton's OpenID Connect provider at %s (its sign-in page offers realm 'users',",
                    GATEWAY, s.issuer);
            say("with \"keep me signed in\"); a demo application at %s signs its users in there (client '%s': code flow",
                    s.app.url(), CLIENT);
            say("with PKCE, client secret, the ID token checked against the provider's /jwks, issuer, audience and nonce).");
            Outcome o = drive(new DemoBrowser(s.tls), s.app.url(), s.issuer);
            // stopped with Ctrl-C while a person tries it: stop the servers and remove the demo's files all the same
            Thread onExit = Thread.ofPlatform().unstarted(s::close);
            Runtime.getRuntime().addShutdownHook(onExit);
            try {
                waitFor(waitForPerson, s.app.url(), s.issuer);
            } finally {
                removeHook(onExit);
            }
            return o;
        }
    }

    /** The browser part's servers, stopped once (by the demo, or by a shutdown hook). */
    private static final class Servers implements AutoCloseable {
        final Path dir = MigrationDemo.tempDir();
        final DemoApp app = new DemoApp();
        final AtomicBoolean closed = new AtomicBoolean();
        IfmapServer federation;
        GatewayNode gateway;
        SSLContext tls;
        URI issuer;

        void start() {
            Map<String, String> users = Map.of(GATEWAY, SessionId.generate().reveal());
            federation = IfmapServer.builder().listen("127.0.0.1", 0).users(BasicAuthUsers.of(users))
                    .gateways(users.keySet()).dataDirectory(dir.resolve("federation")).build().start();
            String secret = SessionId.generate().reveal();
            gateway = GatewayNode.start(settings(federation.url(), users.get(GATEWAY), freePort(), app.url(), secret),
                    dir.resolve(GATEWAY), InstantSource.system());
            // the application trusts the provider's own certificate, as an operator would hand it over
            tls = trusting(dir.resolve(GATEWAY).resolve(GATEWAY + "-tls.p12"));
            issuer = gateway.ssoIssuer().orElseThrow();
            app.start(new DemoRelyingParty(issuer, CLIENT, secret, app.url().resolve("/callback"),
                    app.url().resolve("/signed-out"), tls));
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            app.close();
            if (gateway != null) {
                gateway.close();
            }
            if (federation != null) {
                federation.stop();
            }
            MigrationDemo.delete(dir);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
    }

    private Outcome drive(DemoBrowser browser, URI app, URI issuer) {
        List<DemoBrowser.Hop> first = browser.open(app);
        DemoBrowser.Hop signInPage = last(first);
        say("7. A browser opens %s: the application sends it to the provider's %s, which shows its sign-in page%s.",
                app, first.size() > 1 ? first.get(1).uri().getPath() : "?", signInPage.signInPage() ? "" : " (NOT SHOWN)");
        List<DemoBrowser.Hop> signedIn = browser.signIn(signInPage, "users", "alice", MigrationDemo.PASSWORD);
        String appPage = last(signedIn).body();
        say("8. alice types her password. The provider sets its authentication-session cookie and sends the browser to");
        say("   %s with a code; the application redeems it, checks the ID token and shows: \"%s\",", path(signedIn, "/callback"),
                shown(appPage));
        say("   with the time of her sign-in at Baton from the ID token: %s.", authTime(appPage));

        browser.dropCookie(DemoApp.SESSION_COOKIE);
        List<DemoBrowser.Hop> second = browser.open(app);
        boolean asked = second.stream().anyMatch(DemoBrowser.Hop::signInPage);
        say("9. The application forgets the browser (its own cookie is dropped; the provider's is kept) and the browser");
        say("   comes back: %s", asked ? "the sign-in page is shown again (NOT single sign-on)."
                : "to /authorize, which answers with a code at once: no sign-in page, no password,");
        say("   and the application shows \"%s\" (%d redirects).", shown(last(second).body()), second.size() - 1);

        List<DemoBrowser.Hop> signOut = browser.post(app.resolve("/sign-out"), Map.of());
        List<DemoBrowser.Hop> again = browser.open(app);
        say("10. alice signs out in the application: it ends its session and sends the browser to the provider's %s with",
                path(signOut, "/logout"));
        say("    the ID token as hint; the provider ends the authentication session and sends the browser back to %s.",
                last(signOut).uri().getPath());
        say("    Opening the application again brings %s.", last(again).signInPage() ? "the sign-in page" : "NO sign-in page");
        return new Outcome(app, issuer, signInPage.signInPage(), appPage, asked, last(second).body(), uris(second), uris(signOut),
                browser.hasCookie("__Host-baton-sso"), last(again).signInPage(), last(again).uri());
    }

    private void waitFor(Optional<Runnable> person, URI app, URI issuer) {
        if (person.isEmpty()) {
            say("Not waiting for a browser (no interactive terminal, or --no-wait): stopping.");
            return;
        }
        say("");
        say("Open %s and sign in as alice / %s", app, MigrationDemo.PASSWORD);
        say("(the provider's certificate at %s is self-signed, made for this demo: your browser will ask you to accept it).",
                issuer);
        say("Serving until Enter is pressed or the process is stopped.");
        person.get().run();
    }

    /**
     * The gateway's settings as an operator would write them, read by the same parser.
     *
     * @param ssoPort the provider's port (its issuer names it)
     */
    static GatewaySettings settings(String federation, String federationPassword, int ssoPort, URI app, String secret) {
        String hash = new LocalAccounts(19_456, 2).hash(MigrationDemo.PASSWORD.toCharArray());
        String yaml = """
                name: %s
                listen: 127.0.0.1:0
                federation: { url: "%s", password: "%s", trust-all: true }
                storage: { type: h2 }
                roles:
                  staff: { max-session-length: 8h, idle-timeout: 30m }
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
                  realms:
                    users: { keep-me-signed-in: true }
                  clients:
                    %s:
                      secret: "%s"
                      redirect-uris: [%scallback]
                      post-logout-redirect-uris: [%ssigned-out]
                      scopes: [openid, profile]
                """.formatted(GATEWAY, federation, federationPassword, hash, ssoPort, CLIENT, secret, app, app);
        return new GatewayConfigFile().parse(yaml);
    }

    /** A TLS context that trusts the certificate of the gateway's generated keystore, and nothing else. */
    static SSLContext trusting(Path gatewayKeyStore) {
        try {
            KeyStore own = SelfSignedCertificate.loadOrCreate(gatewayKeyStore, "127.0.0.1").keyStore();
            Certificate cert = own.getCertificate(own.aliases().nextElement());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("provider", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the provider's certificate: " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        // the issuer names the port, so it is chosen before the provider starts; another process may take it meanwhile (rare)
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DemoBrowser.Hop last(List<DemoBrowser.Hop> hops) {
        return hops.get(hops.size() - 1);
    }

    private static List<URI> uris(List<DemoBrowser.Hop> hops) {
        return hops.stream().map(DemoBrowser.Hop::uri).toList();
    }

    /** The first hop's path that is {@code wanted}, or "(not visited)". */
    private static String path(List<DemoBrowser.Hop> hops, String wanted) {
        return hops.stream().map(h -> h.uri().getPath()).filter(wanted::equals).findFirst().orElse("(not visited: " + wanted + ")");
    }

    /** The application page's "Signed in as ..." line, or its first words. */
    private static String shown(String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<p id=\"user\">([^<]*)</p>").matcher(page);
        return m.find() ? m.group(1) : "no signed-in user";
    }

    /** The application page's auth time, or "none shown". */
    private static String authTime(String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Signed in at Baton at ([^<(]*) \\(").matcher(page);
        return m.find() ? m.group(1) : "none shown";
    }

    private void say(String format, Object... args) {
        out.println(String.format(format, args));
        out.flush();
    }
}
