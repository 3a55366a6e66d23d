package dev.baton.sso;

import dev.baton.gateway.http.GatewayServer;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The provider's HTTPS listener (Javalin on Jetty 12, virtual threads), with the same TLS identity as the
 * gateway's agent API, asking for client certificates when a realm signs in with them.
 *
 * <pre>
 * GET      /.well-known/openid-configuration   discovery
 * GET      /jwks                                the public signing keys
 * GET|POST /authorize                           authorization request; code or the sign-in page
 * POST     /sign-in                             the sign-in form
 * POST     /token                               code for tokens
 * GET|POST /userinfo                            claims for a bearer access token
 * GET|POST /logout                              RP-initiated logout
 * GET      /static/sso.css                      the pages' stylesheet
 * </pre>
 */
final class SsoServer implements AutoCloseable {
    /** Largest request body: a sign-in form or a token request is far smaller. */
    static final long MAX_BODY_BYTES = 16 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SsoServer.class);

    private final Javalin app;

    SsoServer(InetSocketAddress listen, KeyStore keyStore, char[] password, List<X509Certificate> clientCas, Endpoints e) {
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.startup.showJavalinBanner = false;
            KeyStore cas = GatewayServer.clientCas(clientCas);
            config.jetty.addConnector((server, http) -> GatewayServer.tlsConnector(server, http, listen, keyStore, password, cas));
            routes(config, e);
        }).start();
        log.info("OpenID Connect provider listening on https://{}:{}", listen.getHostString(), port());
    }

    /** What answers each path. */
    record Endpoints(String discovery, Tokens tokens, AuthorizeEndpoint authorize, SignInEndpoint signIn,
                     TokenEndpoint token, LogoutEndpoint logout, SigningKeys keys) {
    }

    private static void routes(JavalinConfig config, Endpoints e) {
        config.routes.before(Cookies::secure);
        config.routes.get("/.well-known/openid-configuration", ctx -> ctx.header("Cache-Control", "max-age=300")
                .contentType("application/json").result(e.discovery()));
        config.routes.get("/jwks", ctx -> ctx.header("Cache-Control", "max-age=60")
                .contentType("application/jwk-set+json").result(e.keys().publicSet().toString()));
        config.routes.get("/authorize", e.authorize()::handle);
        config.routes.post("/authorize", e.authorize()::handle);
        config.routes.post("/sign-in", e.signIn()::handle);
        config.routes.post("/token", e.token()::token);
        config.routes.get("/userinfo", e.token()::userInfo);
        config.routes.post("/userinfo", e.token()::userInfo);
        config.routes.get("/logout", e.logout()::handle);
        config.routes.post("/logout", e.logout()::handle);
        config.routes.get("/static/sso.css", ctx -> ctx.header("Cache-Control", "max-age=3600").contentType("text/css")
                .result(SignInPage.STYLE));
        config.routes.exception(Exception.class, (ex, ctx) -> {
            log.error("unexpected failure serving {}", ctx.path(), ex);
            Cookies.page(ctx, 500, SignInPage.error("Something went wrong", "The sign-in service failed. Try again;"
                    + " if it persists, tell your administrator (the provider's log has the detail)."));
        });
        config.routes.error(404, ctx -> Cookies.page(ctx, 404, SignInPage.error("Not found", "There is no page here.")));
        config.routes.error(413, ctx -> Cookies.page(ctx, 413, SignInPage.error("Request too large",
                "The request was larger than " + MAX_BODY_BYTES + " bytes.")));
    }

    int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
