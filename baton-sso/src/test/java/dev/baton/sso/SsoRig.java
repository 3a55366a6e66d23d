package dev.baton.sso;

import dev.baton.admin.AuditLog;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.InMemoryFederation;
import dev.baton.gateway.config.GatewayConfigFile;
import dev.baton.gateway.config.GatewaySettings;
import dev.baton.http.tls.SelfSignedCertificate;
import dev.baton.store.SessionStore;
import dev.baton.store.TieredStoreSettings;
import dev.baton.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A gateway with the OpenID Connect provider on loopback, in-process, on a hand-moved clock. */
final class SsoRig implements AutoCloseable {
    /** Two password realms (one persistent, one offering "keep me signed in"), three clients. */
    static final String YAML = """
            name: gw-sso
            listen: 127.0.0.1:0
            federation: { url: "https://127.0.0.1:1", trust-all: true }
            roles:
              staff: { max-session-length: 8h, idle-timeout: 30m }
            admission: { free-failures-per-user: 3 }
            realms:
              - name: users
                auth-server:
                  kind: local
                  accounts:
                    - { username: alice, password-hash: "ALICE_HASH", attributes: { mail: [alice@example.test], cn: [Alice A] } }
                    - { username: bob, password-hash: "BOB_HASH" }
                role-mapping:
                  - { when: [], roles: [staff] }
              - name: staff
                auth-server:
                  kind: local
                  accounts:
                    - { username: carol, password-hash: "CAROL_HASH" }
                role-mapping:
                  - { when: [], roles: [staff] }
            sso:
              listen: 127.0.0.1:0
              issuer: https://127.0.0.1:PORT
              realms:
                users: { keep-me-signed-in: true }
                staff: { persistent: true }
              clients:
                app1:
                  secret: app1-secret-0123456789
                  redirect-uris: [http://127.0.0.1:8081/app1/cb]
                  post-logout-redirect-uris: [http://127.0.0.1:8081/app1/]
                  backchannel-logout-uri: BACKCHANNEL
                  scopes: [openid, profile, email, roles]
                app2:
                  secret: app2-secret-0123456789
                  redirect-uris: [http://127.0.0.1:8082/app2/cb]
                spa:
                  public: true
                  redirect-uris: [http://127.0.0.1:8083/spa/cb]
            """.replace("ALICE_HASH", cheap("alice-pw")).replace("BOB_HASH", cheap("bob-pw")).replace("CAROL_HASH", cheap("carol-pw"));

    /** An Argon2id hash at the lowest cost, so that tests do not spend their time hashing. */
    static String cheap(String password) {
        return new dev.baton.gateway.LocalAccounts(1024, 1).hash(password.toCharArray());
    }

    final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T09:00:00Z"));
    final SessionStore store;
    final Path dir;
    final Gateway gateway;
    final SsoProvider provider;
    final SsoSettings settings;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor();

    /**
     * @param port        the provider's port (the issuer names it, so a restarted provider keeps it)
     * @param backChannel where app1's logout tokens go
     */
    SsoRig(SessionStore store, Path dir, int port, String backChannel, Instant now) {
        this(store, dir, port, backChannel, now, YAML);
    }

    /** As above, with a YAML of the test's own (placeholders PORT and BACKCHANNEL as in {@link #YAML}). */
    SsoRig(SessionStore store, Path dir, int port, String backChannel, Instant now, String yaml) {
        this.store = store;
        this.dir = dir;
        clock.set(now);
        GatewaySettings s = new GatewayConfigFile().parse(yaml
                .replace("listen: 127.0.0.1:0\n  issuer", "listen: 127.0.0.1:" + port + "\n  issuer")
                .replace("PORT", Integer.toString(port)).replace("BACKCHANNEL", backChannel));
        this.settings = SsoSettings.read(s.sso().orElseThrow(), s.gateway());
        this.gateway = new Gateway(s.gateway(), new InMemoryFederation(Runnable::run), clock, store, TieredStoreSettings.DEFAULTS, registry);
        SelfSignedCertificate.Identity tls = SelfSignedCertificate.loadOrCreate(dir.resolve("tls.p12"), "127.0.0.1");
        this.provider = SsoProvider.start(settings, gateway, store, TieredStoreSettings.DEFAULTS, dir.resolve("sso-keys.json"),
                tls.keyStore(), tls.password(), clock, registry, AuditLog.DISCARD, maintenance);
    }

    String issuer() {
        return provider.issuer().toString();
    }

    @Override
    public void close() {
        provider.close();
        gateway.close();
        maintenance.shutdownNow();
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
