package dev.baton.ifmap.server;

import dev.baton.http.tls.SelfSignedCertificate;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.ifmap.xml.RequestParser;
import dev.baton.ifmap.xml.XmlLimits;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IF-MAP 2.x federation server over SOAP/HTTPS: one Jetty 12 handler (no servlet or web-framework layer:
 * the server has one endpoint, so such a layer would only add work to every request) on a pool of
 * platform threads, one POST
 * endpoint at {@code /} (and {@code /ifmap}), HTTP basic auth or TLS client certificates. Build it with
 * {@link #builder()}, {@link #start()} it, {@link #stop()} it; usable in-process by tests and by the CLI.
 * Thread-safe.
 */
public final class IfmapServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IfmapServer.class);

    private final IfmapServerConfig config;
    private MapService service;
    private MetadataStore store;
    private PostgresReplication replication;
    private Server app;
    private ServerConnector connector;
    private ScheduledExecutorService sweeper;
    private KeyStore keyStore;
    private char[] keyStorePassword;
    private final io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
            new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    private AdminListener admin;

    IfmapServer(IfmapServerConfig config) {
        this.config = config;
    }

    /** A builder with the defaults documented on {@link IfmapServerConfig}. */
    public static IfmapServerConfig.Builder builder() {
        return new IfmapServerConfig.Builder();
    }

    /** Starts listening; returns this. Fails with {@link ResultCode#CONFIGURATION} or {@code UNAVAILABLE}. */
    public synchronized IfmapServer start() {
        if (app != null) {
            throw new IllegalStateException("federation server already started");
        }
        SelfSignedCertificate.Identity tls = config.tlsIdentity();
        keyStore = tls.keyStore();
        keyStorePassword = tls.password();
        store = config.storeFactory().get();
        GraphPersistence persistence = persistence();
        service = new MapService(config.clock(), config.sessionTimeout(), config.pollWait(),
                config.maxPollResultSize(), config.rights(), persistence, config.searchLimits());
        if (replication != null) {
            replication.start(service);
        }
        SoapEndpoint endpoint = new SoapEndpoint(service,
                new RequestParser(config.xmlLimits(), config.maxMetadataLength()), new FederationMetrics(registry, service));
        Server jetty = new Server(threadPool(config.maxThreads()));
        connector = connector(jetty);
        jetty.addConnector(connector);
        jetty.setHandler(new SoapHandler(endpoint));
        app = jetty;
        try {
            jetty.start();
        } catch (Exception e) {
            stop();
            throw new BatonException(ResultCode.UNAVAILABLE, "federation server cannot listen on "
                    + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        startAdmin(tls);
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ifmap-sweeper").daemon().factory());
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        LOG.info("federation server listening on {}: {} users, {} certificate{}, session timeout {} s, poll wait {} s,"
                        + " max-poll-result-size {} bytes, {}", url(), config.users().names().size(),
                config.explicitKeyStore() == null ? "generated" : "configured",
                config.clientTrustStore() == null ? "" : ", client certificates accepted",
                config.sessionTimeout().toSeconds(), config.pollWait().toSeconds(), config.maxPollResultSize(),
                config.replication() != null ? "replica through " + config.replication().jdbcUrl().replaceAll("\\?.*", "?…") + " as '"
                        + config.replication().name() + "'" : "forever metadata in " + store);
        return this;
    }

    /** Starts the admin listener, if configured, on the IF-MAP listener's TLS identity; stops everything if it fails. */
    private void startAdmin(SelfSignedCertificate.Identity tls) {
        if (config.admin() == null) {
            return;
        }
        try {
            admin = AdminListener.start(config.admin(), tls, registry, FederationAdmin.of(this, config.admin().audit()));
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /**
     * How the graph's changes last, chosen once: a replica's shared log when replication is configured
     * (the replication is started once the service exists), else the forever-metadata store.
     */
    private GraphPersistence persistence() {
        var r = config.replication();
        if (r == null) {
            return new LocalPersistence(store);
        }
        replication = new PostgresReplication(r.jdbcUrl(), r.user(), r.password(), r.name(),
                r.compactionInterval(), r.livenessWindow());
        return new ReplicatedPersistence(replication, store);
    }

    private void sweep() {
        try {
            service.sweep();
        } catch (Throwable t) {
            // Catch everything: an exception would cancel the schedule and sessions would never time out.
            LOG.error("session sweep failed", t);
        }
    }

    /** Platform threads: a waiting poll is woken without a hand-off to the virtual-thread scheduler. */
    private static QueuedThreadPool threadPool(int max) {
        var pool = new QueuedThreadPool(max, Math.min(8, max), 60_000);
        pool.setName("ifmap");
        return pool;
    }

    private ServerConnector connector(Server server) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword(new String(keyStorePassword));
        if (config.clientTrustStore() != null) {
            ssl.setTrustStore(config.clientTrustStore());
            ssl.setWantClientAuth(true);
        }
        HttpConfiguration https = new HttpConfiguration();
        https.setSendServerVersion(false);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        https.addCustomizer(src);
        ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        c.setHost(config.host());
        c.setPort(config.port());
        c.setIdleTimeout(config.pollWait().toMillis() + 60_000);
        return c;
    }

    /** POST {@code /} or {@code /ifmap}: authenticate, read the bounded body, answer with SOAP. */
    private final class SoapHandler extends Handler.Abstract {
        private final SoapEndpoint endpoint;

        SoapHandler(SoapEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            if (!path.equals("/") && !path.equals("/ifmap")) {
                Response.writeError(request, response, callback, 404, "IF-MAP is served at / and /ifmap");
                return true;
            }
            if (!request.getMethod().equals("POST")) {
                response.getHeaders().put(HttpHeader.ALLOW, "POST");
                Response.writeError(request, response, callback, 405, "IF-MAP requests are POSTed");
                return true;
            }
            String user = authenticate(request);
            if (user == null) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"IF-MAP\"");
                response.setStatus(401);
                response.write(true, StandardCharsets.UTF_8.encode("authentication required"), callback);
                return true;
            }
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                long declared = request.getLength();
                // Jetty holds a declared body to its Content-Length.
                body = dev.baton.http.Bodies.readAtMost(in, declared, config.xmlLimits().maxBytes());
                if (body.length > config.xmlLimits().maxBytes()) {
                    dev.baton.http.Bodies.discard(in, 4L * config.xmlLimits().maxBytes());
                }
            }
            SoapEndpoint.Answer answer = body.length > config.xmlLimits().maxBytes()
                    ? new SoapEndpoint.Answer(413, ResponseWriter.fault("request body exceeds "
                            + config.xmlLimits().maxBytes() + " bytes", true))
                    : endpoint.handle(user, body);
            response.setStatus(answer.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/soap+xml; charset=utf-8");
            response.write(true, ByteBuffer.wrap(answer.body().getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
    }

    /** The client certificate's CN if one was presented and trusted, else the basic-auth user, else null. */
    private String authenticate(Request request) {
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData tls
                && tls.peerCertificates() != null && tls.peerCertificates().length > 0) {
            String cn = dev.baton.http.tls.Certificates.commonName(tls.peerCertificates()[0]).orElse(null);
            if (cn != null) {
                return cn;
            }
        }
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        return config.users().check(user, decoded.substring(colon + 1)) ? user : null;
    }

    /** The port actually listened on (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The endpoint URL, {@code https://HOST:PORT/}. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "https://" + host + ":" + port() + "/";
    }

    /** The server's TLS certificate, for clients to trust (pin) it. */
    public X509Certificate certificate() {
        try {
            for (String alias : java.util.Collections.list(keyStore.aliases())) {
                if (keyStore.isKeyEntry(alias)) {
                    return (X509Certificate) keyStore.getCertificate(alias);
                }
            }
        } catch (Exception e) {
            throw new BatonException(ResultCode.CONFIGURATION, "keystore unreadable: " + e.getMessage(), e);
        }
        throw new BatonException(ResultCode.CONFIGURATION, "keystore holds no key entry");
    }

    /** The admin listener's URL, {@code https://host:port/}; empty when the server has none. */
    public java.util.Optional<java.net.URI> adminUrl() {
        return java.util.Optional.ofNullable(admin).map(AdminListener::url);
    }

    /** The server's meters, served at the admin listener's {@code /metrics}. */
    public io.micrometer.core.instrument.MeterRegistry meters() {
        return registry;
    }

    MapService service() {
        if (service == null) {
            throw new IllegalStateException("federation server not started");
        }
        return service;
    }

    /** Number of live IF-MAP client sessions. */
    public int sessionCount() {
        return service.sessionCount();
    }

    /** Compacts the replicas' shared log now (see {@link PostgresReplication#compact}); for tests. */
    synchronized ReplicationCompactor.Compaction compactReplicaLog() {
        if (replication == null) {
            throw new IllegalStateException("not a replica");
        }
        return replication.compact();
    }

    /** Runs {@code action} while this replica applies no replicated change; for tests. */
    <T> T whileReplicaPaused(java.util.concurrent.Callable<T> action) throws Exception {
        return replication.whilePaused(action);
    }

    /** A copy of the whole graph, oldest metadata first; for tests. */
    synchronized List<MetadataStore.Stored> graphSnapshot() {
        return service.snapshot();
    }

    /** Stops listening, ends every client session and closes the metadata store. Idempotent. */
    public synchronized void stop() {
        long started = System.nanoTime();
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
        if (admin != null) {
            admin.close();
            admin = null;
        }
        if (service != null) {
            service.close();
        }
        if (app != null) {
            try {
                app.stop();
            } catch (Exception e) {
                LOG.warn("stopping the HTTP server failed: {}", e.getMessage());
            }
            app = null;
        }
        if (replication != null) {
            replication.close();
            replication = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
        LOG.info("federation server stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void close() {
        stop();
    }
}
