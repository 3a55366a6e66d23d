package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.ifmap.xml.RequestParser;
import dev.baton.ifmap.xml.XmlLimits;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IF-MAP 2.x federation server over SOAP/HTTPS: Javalin 7 on Jetty 12 with a pool of platform threads, one POST
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
    private Javalin app;
    private ServerConnector connector;
    private ScheduledExecutorService sweeper;
    private KeyStore keyStore;

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
        keyStore = config.keyStore();
        store = config.storeFactory().get();
        if (config.replication() != null) {
            var r = config.replication();
            replication = new PostgresReplication(r.jdbcUrl(), r.user(), r.password(), r.name());
        }
        service = new MapService(config.clock(), config.sessionTimeout(), config.pollWait(),
                config.maxPollResultSize(), config.rights(), store, replication);
        if (replication != null) {
            replication.start(service);
        }
        SoapEndpoint endpoint = new SoapEndpoint(service,
                new RequestParser(config.xmlLimits(), config.maxMetadataLength()));
        app = Javalin.create(c -> {
            // Platform threads: measured to answer polls sooner than virtual threads (see IfmapServerConfig).
            c.concurrency.useVirtualThreads = false;
            c.jetty.threadPool = threadPool(config.maxThreads());
            c.http.maxRequestSize = config.xmlLimits().maxBytes();
            c.startup.showJavalinBanner = false;
            c.jetty.addConnector((server, http) -> connector = connector(server, http));
            c.routes.post("/", ctx -> handle(endpoint, ctx));
            c.routes.post("/ifmap", ctx -> handle(endpoint, ctx));
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            stop();
            throw new BatonException(ResultCode.UNAVAILABLE, "federation server cannot listen on "
                    + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ifmap-sweeper").daemon()
                .factory());
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

    private void sweep() {
        try {
            service.sweep();
        } catch (Throwable t) {
            // Catch everything: an exception would cancel the schedule and sessions would never time out.
            LOG.error("session sweep failed", t);
        }
    }

    private static org.eclipse.jetty.util.thread.QueuedThreadPool threadPool(int max) {
        var pool = new org.eclipse.jetty.util.thread.QueuedThreadPool(max, Math.min(8, max), 60_000);
        pool.setName("ifmap");
        return pool;
    }

    private ServerConnector connector(org.eclipse.jetty.server.Server server, HttpConfiguration http) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword(new String(config.keyStorePassword()));
        if (config.clientTrustStore() != null) {
            ssl.setTrustStore(config.clientTrustStore());
            ssl.setWantClientAuth(true);
        }
        HttpConfiguration https = new HttpConfiguration(http);
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

    private void handle(SoapEndpoint endpoint, Context ctx) throws IOException {
        String user = authenticate(ctx);
        if (user == null) {
            ctx.header("WWW-Authenticate", "Basic realm=\"IF-MAP\"");
            ctx.status(401).result("authentication required");
            return;
        }
        byte[] body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = in.readNBytes(config.xmlLimits().maxBytes() + 1);
        }
        SoapEndpoint.Answer answer = body.length > config.xmlLimits().maxBytes()
                ? new SoapEndpoint.Answer(413, ResponseWriter.fault("request body exceeds "
                        + config.xmlLimits().maxBytes() + " bytes", true))
                : endpoint.handle(user, body);
        ctx.status(answer.status()).contentType("application/soap+xml; charset=utf-8")
                .result(answer.body().getBytes(StandardCharsets.UTF_8));
    }

    /** The client certificate's CN if one was presented and trusted, else the basic-auth user, else null. */
    private String authenticate(Context ctx) {
        Object certs = ctx.req().getAttribute("jakarta.servlet.request.X509Certificate");
        if (certs instanceof X509Certificate[] chain && chain.length > 0) {
            String cn = commonName(chain[0]);
            if (cn != null) {
                return cn;
            }
        }
        String header = ctx.header("Authorization");
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

    private static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (Exception e) {
            LOG.debug("client certificate subject unreadable", e);
        }
        return null;
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

    /** Number of live IF-MAP client sessions. */
    public int sessionCount() {
        return service.sessionCount();
    }

    /** Stops listening, ends every client session and closes the metadata store. Idempotent. */
    public synchronized void stop() {
        long started = System.nanoTime();
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
        if (service != null) {
            service.close();
        }
        if (app != null) {
            app.stop();
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
