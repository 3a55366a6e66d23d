package dev.baton.cli;

import dev.baton.admin.AdminServer;
import dev.baton.admin.ApiRoute;
import dev.baton.admin.Console;
import dev.baton.admin.DashboardSource;
import dev.baton.admin.AuditLog;
import dev.baton.admin.Operators;
import dev.baton.admin.PrometheusMetrics;
import dev.baton.agent.AgentTls;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.IfmapFederation;
import dev.baton.gateway.admin.GatewayAdmin;
import dev.baton.gateway.admin.PurgeAdmin;
import dev.baton.gateway.config.GatewaySettings;
import dev.baton.gateway.http.GatewayServer;
import dev.baton.ifmap.FederationClient;
import dev.baton.ifmap.FederationClientConfig;
import dev.baton.http.tls.SelfSignedCertificate;
import dev.baton.sso.SsoProvider;
import dev.baton.sso.SsoSettings;
import dev.baton.store.CleanupLease;
import dev.baton.store.CleanupTask;
import dev.baton.store.MemorySessionStore;
import dev.baton.store.ldap.DirectoryPurgeTask;
import dev.baton.store.ldap.LdapSessionStore;
import dev.baton.store.SessionStore;
import dev.baton.store.jdbc.JdbcSessionStore;
import dev.baton.store.jdbc.JdbcStoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One gateway process, wired from its settings: the session store (memory, H2, PostgreSQL, MariaDB or an LDAP
 * directory, with the database cleanup or the directory purge task), the
 * IF-MAP federation client, the gateway, and its HTTPS agent API with a configured or generated certificate.
 * Closing it stops everything in reverse order.
 */
final class GatewayNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayNode.class);

    private final SessionStore store;
    private final IfmapFederation federation;
    private final Gateway gateway;
    private final GatewayServer server;
    private final ScheduledExecutorService maintenance;
    private final DirectoryPurgeTask purge;
    private final AdminServer admin;
    private final SsoProvider sso;

    private GatewayNode(SessionStore store, IfmapFederation federation, Gateway gateway, GatewayServer server,
                        ScheduledExecutorService maintenance, DirectoryPurgeTask purge, AdminServer admin, SsoProvider sso) {
        this.sso = sso;
        this.purge = purge;
        this.admin = admin;
        this.store = store;
        this.federation = federation;
        this.gateway = gateway;
        this.server = server;
        this.maintenance = maintenance;
    }

    /**
     * Starts a gateway.
     *
     * @param dataDir where the generated TLS keystore and the default H2 session database live
     */
    static GatewayNode start(GatewaySettings settings, Path dataDir, InstantSource clock, MeterRegistry registry) {
        String name = settings.gateway().name();
        SessionStore store = openStore(settings.storage(), dataDir, name);
        IfmapFederation federation = null;
        Cleanup cleanup = Cleanup.NONE;
        try {
            federation = new IfmapFederation(FederationClient.connect(federationConfig(settings.federation(), name)), name);
            federation.bindMetrics(registry);
            Gateway gateway = new Gateway(settings.gateway(), federation, clock, store, settings.storage().tier(), registry);
            ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("gateway-maintenance-" + name).factory());
            gateway.startMaintenance(maintenance);
            cleanup = startCleanup(settings.storage(), store, maintenance, name, clock, registry);
            SelfSignedCertificate.Identity tls = identity(settings, dataDir);
            GatewayServer server = new GatewayServer(gateway, settings.listen(), tls.keyStore(), tls.password());
            Cleanup tasks = cleanup;
            SsoProvider sso = sso(settings, gateway, store, tls, dataDir, clock, registry, maintenance);
            AdminServer admin = settings.admin().map(a -> admin(a, gateway, tasks, registry, tls, dataDir, clock, sso)).orElse(null);
            log.info("gateway {} started: agents on https://{}:{}, federation {}, storage {}, admin {}, browser sign-on {}", name,
                    settings.listen().getHostString(), server.port(), settings.federation().url(), settings.storage().type(),
                    admin == null ? "off" : admin.url(), sso == null ? "off" : sso.issuer());
            return new GatewayNode(store, federation, gateway, server, maintenance, cleanup.purge(), admin, sso);
        } catch (RuntimeException e) {
            cleanup.close();
            if (federation != null) {
                federation.close();
            }
            store.close();
            throw e;
        }
    }

    /**
     * The operators' listener: metrics from {@code registry} (a Prometheus one when the settings ask for a
     * listener), the gateway's admin API, audit events to their own file.
     */
    private static AdminServer admin(GatewaySettings.Admin a, Gateway gateway, Cleanup tasks, MeterRegistry registry,
                                     SelfSignedCertificate.Identity tls, Path dataDir, InstantSource clock, SsoProvider sso) {
        CleanupTask cleanup = tasks.task();
        AuditFile.attach(a.auditDir().orElse(dataDir.resolve("audit")));
        AuditLog audit = new AuditLog(gateway.name(), clock);
        if (cleanup != null) {
            cleanup.reportTo(r -> audit.event("cleanup-run", "outcome", r.outcome(), "deleted", r.deleted(),
                    "batches", r.batches(), "durationMs", r.elapsed().toMillis()));
        }
        List<ApiRoute> routes = new java.util.ArrayList<>(new GatewayAdmin(gateway, audit, clock, java.util.Optional.ofNullable(cleanup)).routes());
        if (tasks.purge() != null) {
            routes.addAll(new PurgeAdmin(gateway.name(), tasks.purge(), audit).routes());
        }
        if (sso != null) {
            routes.addAll(sso.adminRoutes(audit, clock));
        }
        AdminServer.Builder b = AdminServer.builder().listen(a.listen().getHostString(), a.listen().getPort()).tls(tls)
                .operators(Operators.read(a.operators())).audit(audit).routes(routes)
                .console(Console.builder().routes(routes).dashboard(DashboardSource.of(registry)).clock(clock)
                        .storage(() -> storageStatus(gateway, cleanup)).build());
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            b.metrics(prometheus);
        }
        return b.build().start();
    }

    /**
     * The OpenID Connect provider, when the YAML has an {@code sso} section: on its own port with the gateway's TLS
     * identity, its authentication sessions in the gateway's store, its signing keys in {@code <data dir>/<name>-sso-keys.json}.
     */
    private static SsoProvider sso(GatewaySettings settings, Gateway gateway, SessionStore store, SelfSignedCertificate.Identity tls,
                                   Path dataDir, InstantSource clock, MeterRegistry registry, ScheduledExecutorService maintenance) {
        if (settings.sso().isEmpty()) {
            return null;
        }
        SsoSettings sso = SsoSettings.read(settings.sso().get(), settings.gateway());
        return SsoProvider.start(sso, gateway, store, settings.storage().tier(), dataDir.resolve(gateway.name() + "-sso-keys.json"),
                tls.keyStore(), tls.password(), clock, registry, new AuditLog(gateway.name(), clock), maintenance);
    }

    private static FederationClientConfig federationConfig(GatewaySettings.Federation f, String gateway) {
        return FederationClientConfig.of(URI.create(f.url()), f.user().isEmpty() ? gateway : f.user(), f.password(), trust(f),
                gateway).withPollCoalesce(f.pollCoalesce());
    }

    /** The console's Storage page: whether the store answers, and the cleanup's last and next run. */
    private static Map<String, Object> storageStatus(Gateway gateway, CleanupTask cleanup) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("Session store", gateway.storeAvailable() ? "available" : "unavailable: serving from memory, writes queued");
        m.put("Sessions held", gateway.sessionCount());
        if (cleanup != null) {
            CleanupTask.Status c = cleanup.status();
            m.put("Cleanup scheduled here", c.scheduled() ? "yes" : "no (not the console node)");
            m.put("Last cleanup", c.lastRun().map(Object::toString).orElse("none since start"));
            c.lastReport().ifPresent(r -> m.put("Last cleanup deleted", r.deleted() + " sessions in " + r.elapsed().toMillis() + " ms"));
            m.put("Next cleanup", c.nextRun().map(Object::toString).orElse("not scheduled"));
            m.put("Cleanup lease held by", c.leaseHolder().orElse("nobody"));
            m.put("Removable sessions left", c.backlog());
        }
        return m;
    }

    /** What removes expired sessions from the store: either task may be absent. */
    private record Cleanup(DirectoryPurgeTask purge, CleanupTask task) {
        static final Cleanup NONE = new Cleanup(null, null);

        void close() {
            if (purge != null) {
                purge.close();
            }
            if (task != null) {
                task.close();
            }
        }
    }

    /**
     * Starts the task that removes expired sessions from the store: the throttled directory purge for an LDAP
     * store (S5; the database cleanup is off there), else the database cleanup, on a timer on the console node.
     */
    private static Cleanup startCleanup(GatewaySettings.Storage s, SessionStore store, ScheduledExecutorService maintenance,
                                        String name, InstantSource clock, MeterRegistry registry) {
        if (store instanceof LdapSessionStore directory) {
            DirectoryPurgeTask purge = new DirectoryPurgeTask(directory, directory(s).purge(), clock, registry);
            purge.start();
            return new Cleanup(purge, null);
        }
        if (store instanceof CleanupLease lease) {
            CleanupTask cleanup = new CleanupTask(store, lease, s.cleanup(), name, clock, registry);
            if (cleanup.start(maintenance)) {
                log.info("gateway {} is the console node: database cleanup every {} ms", name, s.cleanup().intervalMillis());
            }
            return new Cleanup(null, cleanup);
        }
        return Cleanup.NONE;
    }

    /** The TLS identity of the agents' API and the admin listener: the configured keystore, or one generated on first start. */
    private static SelfSignedCertificate.Identity identity(GatewaySettings settings, Path dataDir) {
        if (settings.tls().isPresent()) {
            char[] password = settings.tls().get().password().toCharArray();
            return new SelfSignedCertificate.Identity(load(settings.tls().get().keystore(), password, "tls.keystore"), password);
        }
        // Generated on first start with a random password kept beside it, both owner-only.
        return SelfSignedCertificate.loadOrCreate(dataDir.resolve(settings.gateway().name() + "-tls.p12"),
                settings.listen().getHostString());
    }

    /** A node with metrics in a Prometheus registry when it has an admin listener to serve them, else in memory. */
    static GatewayNode start(GatewaySettings settings, Path dataDir, InstantSource clock) {
        return start(settings, dataDir, clock, settings.admin().isPresent() ? PrometheusMetrics.registry() : new SimpleMeterRegistry());
    }

    /** The OpenID Connect provider's issuer, when the node has one. */
    java.util.Optional<URI> ssoIssuer() {
        return java.util.Optional.ofNullable(sso).map(SsoProvider::issuer);
    }

    /** The OpenID Connect provider's port, or -1. */
    int ssoPort() {
        return sso == null ? -1 : sso.port();
    }

    /** The admin listener's address, when the node has one. */
    java.util.Optional<URI> adminUrl() {
        return java.util.Optional.ofNullable(admin).map(AdminServer::url);
    }

    Gateway gateway() {
        return gateway;
    }

    int port() {
        return server.port();
    }

    URI url() {
        return URI.create("https://127.0.0.1:" + port());
    }

    static SessionStore openStore(GatewaySettings.Storage s, Path dataDir, String gateway) {
        return switch (s.type()) {
            case "memory" -> new MemorySessionStore();
            case "h2" -> JdbcSessionStore.open(JdbcStoreConfig.of(h2Url(s, dataDir, gateway), s.user(), s.password())
                    .withEncryptionKey(s.encryptionKey()));
            case "postgresql", "mariadb" -> JdbcSessionStore.open(JdbcStoreConfig.of(s.url(), s.user(), s.password())
                    .withEncryptionKey(s.encryptionKey()));
            case "ldap" -> LdapSessionStore.connect(directory(s).store());
            default -> throw new BatonException(ResultCode.CONFIGURATION, "storage.type: " + s.type() + " is not available in this build");
        };
    }

    /** The H2 database of {@code storage.type: h2}: the configured URL, else {@code sessions-<gateway>} in the data folder. */
    static String h2Url(GatewaySettings.Storage s, Path dataDir, String gateway) {
        return s.url().isEmpty() ? "jdbc:h2:file:" + dataDir.resolve("sessions-" + gateway).toAbsolutePath().normalize() : s.url();
    }

    private static GatewaySettings.Directory directory(GatewaySettings.Storage s) {
        return s.directory().orElseThrow(() -> new BatonException(ResultCode.CONFIGURATION,
                "storage.ldap: is required for type ldap (servers, bindDn, password, baseDn)"));
    }

    private static SSLContext trust(GatewaySettings.Federation f) {
        if (f.trustAll()) {
            return AgentTls.trustAll();
        }
        return f.truststore().map(p -> AgentTls.truststore(p, new char[0])).orElseThrow(() -> new BatonException(
                ResultCode.CONFIGURATION, "federation: give truststore, or trust-all: true for a self-signed server on loopback"));
    }

    private static KeyStore load(Path file, char[] password, String key) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (Exception e) {
            throw new BatonException(ResultCode.CONFIGURATION, key + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stops serving, then the gateway (flushing activity), the federation client and the store. */
    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        if (sso != null) {
            sso.close();
        }
        server.close();
        maintenance.shutdownNow();
        if (purge != null) {
            purge.close();
        }
        gateway.close();
        federation.close();
        store.close();
    }
}
