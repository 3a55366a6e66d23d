package dev.baton.ifmap.server;

import dev.baton.admin.AdminServer;
import dev.baton.http.tls.SelfSignedCertificate;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;

/**
 * The federation server's admin listener: {@code /metrics} with the JVM's and the process's meters besides the
 * server's own, the admin API ({@link FederationAdmin}) and the web console over it (the federation-wide view:
 * a user's sessions on every gateway, revoked everywhere at once), on the IF-MAP listener's TLS identity.
 */
final class AdminListener implements AutoCloseable {
    private final AdminServer server;
    private final AutoCloseable gc;

    private AdminListener(IfmapServerConfig.Admin config, SelfSignedCertificate.Identity tls,
                          PrometheusMeterRegistry registry, FederationAdmin api) {
        this.gc = dev.baton.admin.PrometheusMetrics.bindJvmAndProcess(registry);
        this.server = AdminServer.builder().listen(config.host(), config.port()).tls(tls).operators(config.operators())
                .metrics(registry).routes(api.routes()).audit(config.audit())
                // The console over the federation's routes: every session of the federation, a user's everywhere.
                .console(dev.baton.admin.Console.builder().routes(api.routes()).build()).build();
    }

    /** The listener of {@code config}, started. */
    static AdminListener start(IfmapServerConfig.Admin config, SelfSignedCertificate.Identity tls,
                               PrometheusMeterRegistry registry, FederationAdmin api) {
        AdminListener l = new AdminListener(config, tls, registry, api);
        try {
            l.server.start();
        } catch (RuntimeException e) {
            l.closeGc();
            throw e;
        }
        return l;
    }

    URI url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
        closeGc();
    }

    private void closeGc() {
        try {
            gc.close();
        } catch (Exception e) {
            // nothing to release beyond a listener
        }
    }
}
