package dev.baton.admin;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.http.tls.SelfSignedCertificate;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' HTTPS listener of a gateway or a federation server, on its own port, apart from the agent
 * API and IF-MAP: {@code /metrics} in Prometheus text format, the JSON admin API under
 * {@code /api/admin/v1}, and the web console under {@code /console}. Every path needs a signed-in operator
 * (see {@link Operators}); nothing is served anonymously. Start with {@link #builder()}.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final Builder config;
    private final Server jetty;
    private final ServerConnector connector;

    private AdminServer(Builder config) {
        this.config = config;
        QueuedThreadPool threads = new QueuedThreadPool(16, 2, 60_000);
        threads.setName("baton-admin");
        this.jetty = new Server(threads);
        this.connector = connector(jetty, config);
        jetty.addConnector(connector);
        jetty.setHandler(new AdminHandler(new OperatorAuthentication(config.operators), config.metrics,
                List.copyOf(config.routes), config.console, config.audit));
    }

    public static Builder builder() {
        return new Builder();
    }

    private static ServerConnector connector(Server server, Builder config) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(config.tls.keyStore());
        ssl.setKeyStorePassword(new String(config.tls.password()));
        KeyStore clientTrust = config.clientTrust != null ? config.clientTrust : config.operators.clientCa().orElse(null);
        if (clientTrust != null) {
            ssl.setTrustStore(clientTrust);
            ssl.setWantClientAuth(true);
        }
        HttpConfiguration https = new HttpConfiguration();
        https.setSendServerVersion(false);
        https.setRequestHeaderSize(8 * 1024);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        https.addCustomizer(src);
        ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        c.setHost(config.address.getHostString());
        c.setPort(config.address.getPort());
        c.setIdleTimeout(30_000);
        return c;
    }

    /** Starts listening; returns this. */
    public AdminServer start() {
        try {
            jetty.start();
            if (config.console != null) {
                config.console.start();
            }
        } catch (Exception e) {
            close();
            throw new BatonException(ResultCode.UNAVAILABLE, "admin listener cannot listen on "
                    + config.address.getHostString() + ":" + config.address.getPort() + ": " + e.getMessage(), e);
        }
        LOG.info("admin listener on {}: {} operators, {} API operations, metrics {}, console {}", url(),
                config.operators.size(), config.routes.size(), config.metrics == null ? "off" : "at /metrics",
                config.console == null ? "off" : "at /console/");
        return this;
    }

    /** {@code https://host:port/}, with the port actually bound. */
    public URI url() {
        return URI.create("https://" + config.address.getHostString() + ":" + connector.getLocalPort() + "/");
    }

    @Override
    public void close() {
        if (config.console != null) {
            config.console.stop();
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("admin listener did not stop cleanly: {}", e.toString());
        }
    }

    /** What the listener serves and to whom. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        private SelfSignedCertificate.Identity tls;
        private KeyStore clientTrust;
        private Operators operators;
        private PrometheusMeterRegistry metrics;
        private final List<ApiRoute> routes = new ArrayList<>();
        private Console console;
        private AuditLog audit = AuditLog.DISCARD;

        public Builder listen(String host, int port) {
            this.address = new InetSocketAddress(host, port);
            return this;
        }

        /** The listener's certificate and key. */
        public Builder tls(SelfSignedCertificate.Identity identity) {
            this.tls = identity;
            return this;
        }

        /**
         * Issuers of operators' client certificates, instead of the operators file's {@code client-ca}; without
         * either, operators sign in by password only.
         */
        public Builder clientTrust(KeyStore trustStore) {
            this.clientTrust = trustStore;
            return this;
        }

        public Builder operators(Operators operators) {
            this.operators = operators;
            return this;
        }

        /** Serves {@code /metrics} from this registry; without it {@code /metrics} is 404. */
        public Builder metrics(PrometheusMeterRegistry registry) {
            this.metrics = registry;
            return this;
        }

        public Builder route(ApiRoute route) {
            routes.add(route);
            return this;
        }

        public Builder routes(List<ApiRoute> more) {
            routes.addAll(more);
            return this;
        }

        /** Serves the web console; without it {@code /console} is 404. */
        public Builder console(Console console) {
            this.console = console;
            return this;
        }

        public Builder audit(AuditLog audit) {
            this.audit = audit;
            return this;
        }

        public AdminServer build() {
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(operators, "operators");
            return new AdminServer(this);
        }
    }
}
