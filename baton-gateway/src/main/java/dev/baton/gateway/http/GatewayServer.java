package dev.baton.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.api.ConnectRequest;
import dev.baton.core.api.SessionProof;
import dev.baton.core.api.SignInRequest;
import dev.baton.gateway.Gateway;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.util.Map;

/**
 * The agents' HTTPS API of one gateway, on Javalin (Jetty 12) with virtual threads.
 *
 * <pre>
 * GET  /health             {"gateway","status","sessions"}       (load-balancer health check)
 * POST /api/v1/sign-in     SignInRequest  -&gt; SignInResult
 * POST /api/v1/challenge                  -&gt; Challenge {"gateway","value"}
 * POST /api/v1/connect     ConnectRequest -&gt; AccessResult        (resume or migrate, with proof)
 * POST /api/v1/access      Authorization: Session &lt;id&gt; + proof headers -&gt; AccessResult
 * POST /api/v1/heartbeat   Authorization: Session &lt;id&gt; + proof headers, {"posture"} -&gt; AccessResult
 * POST /api/v1/sign-out    Authorization: Session &lt;id&gt; + proof headers -&gt; 204
 * </pre>
 *
 * The proof headers of a request that uses a session are {@code Baton-Challenge} (a challenge from
 * {@code /api/v1/challenge} or made by the agent) and {@code Baton-Signature} (the session key's signature for
 * the request's operation), see {@link SessionProof}.
 *
 * Failures answer {@code {"code","message"}} with the result code's HTTP status. Request bodies are limited
 * to {@link #MAX_BODY_BYTES}; unknown JSON fields are refused by name.
 */
public final class GatewayServer implements AutoCloseable {
    /** Largest accepted request body, in bytes. */
    public static final long MAX_BODY_BYTES = 64 * 1024;
    /** Platform request threads at most; a request waits for the federation server and the store on its thread. */
    public static final int MAX_THREADS = 256;

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    private static final String SESSION_SCHEME = "Session ";
    /** The header carrying a request's proof-of-possession challenge. */
    public static final String CHALLENGE_HEADER = "Baton-Challenge";
    /** The header carrying the session key's signature over it. */
    public static final String SIGNATURE_HEADER = "Baton-Signature";

    static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            // a pool shared by all threads: the default is per thread, which virtual threads never reuse
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedBoundedPool()).build())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final Gateway gateway;
    private final Javalin app;

    /**
     * Starts serving.
     *
     * @param listen    the address to bind (port 0 picks a free one)
     * @param keyStore  the TLS identity (PKCS#12), or {@code null} for plain HTTP (tests behind TLS-terminating proxies only)
     * @param password  the keystore password
     */
    public GatewayServer(Gateway gateway, InetSocketAddress listen, KeyStore keyStore, char[] password) {
        this(gateway, listen, keyStore, password, true);
    }

    /**
     * @param virtualThreads serve each request on a virtual thread (the default), or on a bounded pool of
     *                       {@value #MAX_THREADS} platform threads. The migration benchmark compares both
     *                       ({@code -Dbaton.bench.threadsAB=true}, docs/benchmarks.md): platform threads
     *                       spare the virtual-thread scheduler's hand-offs (6-11 % less CPU per migration),
     *                       but a federation server that stops answering would hold every pooled thread,
     *                       health checks included, until its timeout; virtual threads do not run out.
     */
    public GatewayServer(Gateway gateway, InetSocketAddress listen, KeyStore keyStore, char[] password, boolean virtualThreads) {
        this.gateway = gateway;
        this.app = Javalin.create(config -> {
            connector(config, gateway, listen, keyStore, password, virtualThreads);
            routes(config, gateway);
            errors(config, gateway);
        }).start();
        log.info("gateway {} serving agents on {}://{}:{}", gateway.name(), keyStore == null ? "http" : "https",
                listen.getHostString(), port());
    }

    /** Threads, body limit, and where and how to listen: TLS (asking for client certificates when a realm takes them) or plain. */
    private static void connector(JavalinConfig config, Gateway gateway, InetSocketAddress listen, KeyStore keyStore,
                                  char[] password, boolean virtualThreads) {
        config.concurrency.useVirtualThreads = virtualThreads;
        if (!virtualThreads) {
            QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 8, 60_000);
            threads.setName("gateway-" + gateway.name());
            config.jetty.threadPool = threads;
        }
        config.http.maxRequestSize = MAX_BODY_BYTES;
        config.startup.showJavalinBanner = false;
        if (keyStore != null) {
            KeyStore clientCas = clientCas(gateway.clientCertificateAuthorities());
            config.jetty.addConnector((server, httpConfig) -> tlsConnector(server, httpConfig, listen, keyStore, password, clientCas));
        } else {
            config.jetty.host = listen.getHostString();
            config.jetty.port = listen.getPort();
        }
    }

    private static void routes(JavalinConfig config, Gateway gateway) {
        config.routes.get("/health", ctx -> ctx.json(Map.of("gateway", gateway.name(), "status", "up", "sessions", gateway.sessionCount())));
        config.routes.post("/api/v1/sign-in", ctx -> reply(ctx, gateway.signIn(read(ctx, SignInRequest.class), clientCertificates(ctx), ctx.ip())));
        config.routes.post("/api/v1/challenge", ctx -> reply(ctx, gateway.challenge()));
        config.routes.post("/api/v1/connect", ctx -> reply(ctx, gateway.connect(read(ctx, ConnectRequest.class))));
        config.routes.post("/api/v1/access", ctx -> reply(ctx, gateway.access(proof(ctx))));
        config.routes.post("/api/v1/heartbeat", ctx -> {
            byte[] body = body(ctx); // the body is read once: a second read would find the stream drained
            reply(ctx, gateway.heartbeat(proof(ctx), body.length == 0 ? Map.of() : read(body, Heartbeat.class).posture()));
        });
        config.routes.post("/api/v1/sign-out", ctx -> {
            gateway.signOut(proof(ctx));
            ctx.status(204);
        });
    }

    /** Server-side failures name internal servers; the agent gets a fixed reason, the log the detail. */
    private static void errors(JavalinConfig config, Gateway gateway) {
        config.routes.exception(BatonException.class, (e, ctx) -> {
            if (e instanceof dev.baton.core.RetryLaterException later) {
                ctx.header("Retry-After", Long.toString(later.retryAfterSeconds()));
            }
            error(ctx, e.code(), AgentErrors.message(e, gateway.name(), ctx.path()));
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            log.error("unexpected failure serving {} on {}", ctx.path(), gateway.name(), e);
            error(ctx, ResultCode.INTERNAL, "internal error; see the gateway log");
        });
        config.routes.error(404, ctx -> {
            if (ctx.result() == null) {
                error(ctx, ResultCode.INVALID_REQUEST, "no such endpoint: " + ctx.method() + " " + ctx.path());
                ctx.status(404);
            }
        });
        config.routes.error(413, ctx -> error(ctx, ResultCode.TOO_LARGE, "request body larger than " + MAX_BODY_BYTES
                + " bytes; send a smaller request (fewer or shorter posture facts)"));
    }

    /** The port actually bound. */
    public int port() {
        return app.port();
    }

    /** The gateway served. */
    public Gateway gateway() {
        return gateway;
    }

    @Override
    public void close() {
        app.stop();
    }

    /** A TLS connector on {@code listen}; with {@code clientCas} it asks clients for certificates of those CAs. */
    public static ServerConnector tlsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration httpConfig,
                                                InetSocketAddress listen, KeyStore keyStore, char[] password, KeyStore clientCas) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keyStore);
        tls.setKeyStorePassword(new String(password));
        if (clientCas != null) {
            // Certificate realms: ask clients for certificates of the realms' CAs. The realm validates the chain
            // again (validity at the injected clock, client-auth usage, which field names the user).
            tls.setTrustStore(clientCas);
            tls.setWantClientAuth(true);
        }
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(httpConfig);
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        customizer.setSniHostCheck(false);
        https.addCustomizer(customizer);
        ServerConnector c = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(https));
        c.setHost(listen.getHostString());
        c.setPort(listen.getPort());
        return c;
    }

    /** The body of a heartbeat: the endpoint's current posture. */
    record Heartbeat(Map<String, String> posture) {
        Heartbeat {
            posture = posture == null ? Map.of() : Map.copyOf(posture);
        }
    }

    /** A trust store of certificate realms' CAs, or null when there are none. */
    public static KeyStore clientCas(java.util.List<java.security.cert.X509Certificate> cas) {
        if (cas.isEmpty()) {
            return null;
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                ks.setCertificateEntry("client-ca-" + i, cas.get(i));
            }
            return ks;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "cannot build the trust store of certificate realms: " + e.getMessage(), e);
        }
    }

    /** The TLS client certificate chain of the connection, leaf first; empty if none was presented. */
    public static java.util.List<java.security.cert.X509Certificate> clientCertificates(Context ctx) {
        Object chain = ctx.req().getAttribute("jakarta.servlet.request.X509Certificate");
        return chain instanceof java.security.cert.X509Certificate[] certs ? java.util.List.of(certs) : java.util.List.of();
    }

    /**
     * The request body. One with a declared length within {@link #MAX_BODY_BYTES} is read into an array of
     * exactly that size; otherwise Javalin reads it, refusing more than the limit with 413. (Javalin copies
     * through an 8 KB buffer and a growing stream: 6 % of all bytes allocated on the migration path.)
     */
    private static byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared < 0 || declared > MAX_BODY_BYTES) {
            return ctx.bodyAsBytes();
        }
        try {
            return dev.baton.http.Bodies.readDeclared(ctx.req().getInputStream(), (int) declared);
        } catch (java.io.IOException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "cannot read request body: " + e.getMessage(), e);
        }
    }

    private static <T> T read(Context ctx, Class<T> type) {
        return read(body(ctx), type);
    }

    private static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "request body is empty; expected a JSON " + type.getSimpleName());
        }
        try {
            T value = JSON.readValue(body, type);
            if (value == null) {
                throw new BatonException(ResultCode.INVALID_REQUEST, "request body is null; expected a JSON " + type.getSimpleName());
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "unknown field '" + e.getPropertyName() + "' in " + type.getSimpleName());
        } catch (JsonProcessingException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "malformed JSON for " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "cannot read request body: " + e.getMessage(), e);
        } catch (NullPointerException e) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "missing field in " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The session id and its proof of possession, from the request's headers. */
    private static SessionProof proof(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.startsWith(SESSION_SCHEME)) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "missing 'Authorization: Session <id>' header");
        }
        String challenge = ctx.header(CHALLENGE_HEADER);
        String signature = ctx.header(SIGNATURE_HEADER);
        if (challenge == null || signature == null) {
            throw new BatonException(ResultCode.AUTHENTICATION_FAILED, "proof of possession required: send the headers "
                    + CHALLENGE_HEADER + " and " + SIGNATURE_HEADER + " with the session key's signature");
        }
        return new SessionProof(h.substring(SESSION_SCHEME.length()).strip(), challenge.strip(), signature.strip());
    }

    /**
     * Writes {@code value} as the JSON body, straight to the response: a result handed to Javalin is copied
     * through a fresh 8 KB buffer per response, 10 % of all bytes allocated on the migration path.
     */
    private static void reply(Context ctx, Object value) throws java.io.IOException {
        byte[] body = JSON.writeValueAsBytes(value);
        ctx.contentType("application/json");
        ctx.res().setContentLength(body.length);
        ctx.res().getOutputStream().write(body);
    }

    private static void error(Context ctx, ResultCode code, String message) {
        ctx.status(code.httpStatus()).contentType("application/json");
        try {
            ctx.result(JSON.writeValueAsBytes(Map.of("code", code.name(), "message", message)));
        } catch (JsonProcessingException e) {
            ctx.result("{\"code\":\"INTERNAL\"}");
        }
    }
}
