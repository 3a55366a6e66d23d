package dev.baton.cli;

import dev.baton.agent.AgentTls;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.IfmapFederation;
import dev.baton.gateway.config.GatewaySettings;
import dev.baton.gateway.http.GatewayServer;
import dev.baton.ifmap.FederationClient;
import dev.baton.ifmap.FederationClientConfig;
import dev.baton.http.tls.SelfSignedCertificate;
import dev.baton.store.CleanupLease;
import dev.baton.store.CleanupTask;
import dev.baton.store.MemorySessionStore;
import dev.baton.store.ldap.DirectoryPurgeTask;
import dev.baton.store.ldap.LdapSessionStore;
import dev.baton.store.ldap.LdapStoreSettings;
import dev.baton.store.ldap.PurgeSettings;
import java.util.HashMap;
import java.util.Map;
import dev.baton.store.SessionStore;
import dev.baton.store.TieredStoreSettings;
import dev.baton.store.jdbc.JdbcSessionStore;
import dev.baton.store.jdbc.JdbcStoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.InstantSource;
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

    private GatewayNode(SessionStore store, IfmapFederation federation, Gateway gateway, GatewayServer server,
                        ScheduledExecutorService maintenance, DirectoryPurgeTask purge) {
        this.purge = purge;
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
        DirectoryPurgeTask purge = null;
        try {
            GatewaySettings.Federation f = settings.federation();
            FederationClient client = FederationClient.connect(FederationClientConfig.of(URI.create(f.url()),
                    f.user().isEmpty() ? name : f.user(), f.password(), trust(f), name).withPollCoalesce(f.pollCoalesce()));
            federation = new IfmapFederation(client, name);
            Gateway gateway = new Gateway(settings.gateway(), federation, clock, store, settings.storage().tier(), registry);
            ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("gateway-maintenance-" + name).factory());
            gateway.startMaintenance(maintenance);
            if (store instanceof LdapSessionStore directory) {
                // Directory storage: the database cleanup is off; the throttled directory purge runs instead (S5).
                Map<String, String> keys = new HashMap<>(settings.storage().directory());
                keys.putIfAbsent(PurgeSettings.PREFIX + "nodeName", name);
                purge = new DirectoryPurgeTask(directory, PurgeSettings.fromProperties(keys), clock, registry);
                purge.start();
            } else if (store instanceof CleanupLease lease) {
                CleanupTask cleanup = new CleanupTask(store, lease, settings.storage().cleanup(), name, clock, registry);
                if (cleanup.start(maintenance)) {
                    log.info("gateway {} is the console node: database cleanup every {} ms", name, settings.storage().cleanup().intervalMillis());
                }
            }
            KeyStore tls;
            char[] password;
            if (settings.tls().isPresent()) {
                password = settings.tls().get().password().toCharArray();
                tls = load(settings.tls().get().keystore(), password);
            } else {
                // Generated on first start with a random password kept beside it, both owner-only.
                SelfSignedCertificate.Identity generated = SelfSignedCertificate.loadOrCreate(
                        dataDir.resolve(name + "-tls.p12"), settings.listen().getHostString());
                tls = generated.keyStore();
                password = generated.password();
            }
            GatewayServer server = new GatewayServer(gateway, settings.listen(), tls, password);
            log.info("gateway {} started: agents on https://{}:{}, federation {}, storage {}", name,
                    settings.listen().getHostString(), server.port(), f.url(), settings.storage().type());
            return new GatewayNode(store, federation, gateway, server, maintenance, purge);
        } catch (RuntimeException e) {
            if (purge != null) {
                purge.close();
            }
            if (federation != null) {
                federation.close();
            }
            store.close();
            throw e;
        }
    }

    /** A node with metrics kept in memory. */
    static GatewayNode start(GatewaySettings settings, Path dataDir, InstantSource clock) {
        return start(settings, dataDir, clock, new SimpleMeterRegistry());
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
            case "h2" -> JdbcSessionStore.open(JdbcStoreConfig.of(s.url().isEmpty()
                    ? "jdbc:h2:file:" + dataDir.resolve("sessions-" + gateway).toAbsolutePath() : s.url(), s.user(), s.password())
                    .withEncryptionKey(s.encryptionKey()));
            case "postgresql", "mariadb" -> JdbcSessionStore.open(JdbcStoreConfig.of(s.url(), s.user(), s.password())
                    .withEncryptionKey(s.encryptionKey()));
            case "ldap" -> LdapSessionStore.connect(directorySettings(s));
            default -> throw new BatonException(ResultCode.CONFIGURATION, "storage.type: " + s.type() + " is not available in this build");
        };
    }

    /**
     * The LDAP store's settings from {@code storage.ldap.*} and {@code storage.encryption.key}; errors name the
     * {@code store.ldap.*} key, which is {@code storage.ldap.*} in the YAML file.
     */
    static LdapStoreSettings directorySettings(GatewaySettings.Storage s) {
        Map<String, String> keys = new HashMap<>(s.directory());
        if (!s.encryptionKey().isEmpty()) {
            keys.put(LdapStoreSettings.ENCRYPTION_KEY, s.encryptionKey());
        }
        try {
            return LdapStoreSettings.fromProperties(keys);
        } catch (BatonException e) {
            throw new BatonException(e.code(), "storage.ldap: " + e.getMessage(), e);
        }
    }

    private static SSLContext trust(GatewaySettings.Federation f) {
        if (f.trustAll()) {
            return AgentTls.trustAll();
        }
        return f.truststore().map(p -> AgentTls.truststore(p, new char[0])).orElseThrow(() -> new BatonException(
                ResultCode.CONFIGURATION, "federation: give truststore, or trust-all: true for a self-signed server on loopback"));
    }

    private static KeyStore load(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (Exception e) {
            throw new BatonException(ResultCode.CONFIGURATION, "tls.keystore: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stops serving, then the gateway (flushing activity), the federation client and the store. */
    @Override
    public void close() {
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
