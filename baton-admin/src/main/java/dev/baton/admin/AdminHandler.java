package dev.baton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.http.Bodies;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one request of the admin listener: authenticates the operator, then serves {@code /metrics}, an
 * admin API operation or a console page. Answers never carry a stack trace or an internal address; every
 * answer is {@code no-store} and {@code nosniff}.
 */
final class AdminHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    static final String API = "/api/admin/v1";
    /** Bodies of admin API calls, at most. */
    static final int MAX_BODY = 64 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();

    private final OperatorAuthentication authentication;
    private final PrometheusMeterRegistry metrics;
    private final List<ApiRoute> routes;
    private final Console console;
    private final AuditLog audit;

    AdminHandler(OperatorAuthentication authentication, PrometheusMeterRegistry metrics, List<ApiRoute> routes,
                 Console console, AuditLog audit) {
        this.authentication = authentication;
        this.metrics = metrics;
        this.routes = routes;
        this.console = console;
        this.audit = audit;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        if (console != null && (path.equals("/console") || path.startsWith("/console/"))) {
            return console.handle(request, response, callback, authentication, audit);
        }
        response.getHeaders().put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        if (!path.equals("/metrics") && !path.startsWith(API + "/")) {
            return text(response, callback, 404, "not found: the admin listener serves /metrics, " + API + "/ and /console/");
        }
        Optional<Operator> operator = authenticate(request, response, callback);
        if (operator.isEmpty()) {
            drain(request);
            return true;
        }
        if (path.equals("/metrics")) {
            return metrics(request, response, callback);
        }
        return api(request, response, callback, operator.get(), path.substring(API.length()));
    }

    /** The operator, or empty after answering 401 or 429. */
    private Optional<Operator> authenticate(Request request, Response response, Callback callback) {
        OperatorAuthentication.Outcome outcome = authentication.authenticate(peerCertificates(request),
                request.getHeaders().get(HttpHeader.AUTHORIZATION), Request.getRemoteAddr(request));
        switch (outcome) {
            case OperatorAuthentication.Known k -> {
                return Optional.of(k.operator());
            }
            case OperatorAuthentication.Locked l -> {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(l.retryAfter().toSeconds()));
                text(response, callback, 429, "too many failed sign-ins from this address; try again later");
            }
            case OperatorAuthentication.Unknown u -> {
                if (u.credentialsGiven()) {
                    audit.adminSignInFailed(Request.getRemoteAddr(request));
                }
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"Baton admin\", charset=\"UTF-8\"");
                text(response, callback, 401, "sign in as an operator (HTTP Basic or a client certificate)");
            }
        }
        return Optional.empty();
    }

    static java.security.cert.X509Certificate[] peerCertificates(Request request) {
        return request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData tls
                ? tls.peerCertificates() : null;
    }

    private boolean metrics(Request request, Response response, Callback callback) {
        if (metrics == null) {
            return text(response, callback, 404, "metrics are not served by this listener");
        }
        if (!request.getMethod().equals("GET")) {
            drain(request);
            return text(response, callback, 405, "GET /metrics");
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        response.write(true, StandardCharsets.UTF_8.encode(metrics.scrape()), callback);
        return true;
    }

    private boolean api(Request request, Response response, Callback callback, Operator operator, String path)
            throws Exception {
        boolean pathKnown = false;
        for (ApiRoute route : routes) {
            Optional<Map<String, String>> params = route.match(path);
            if (params.isEmpty()) {
                continue;
            }
            pathKnown = true;
            if (route.method().equals(request.getMethod())) {
                return call(request, response, callback, operator, route, params.get());
            }
        }
        drain(request);
        return pathKnown ? json(response, callback, 405, error("method " + request.getMethod() + " not allowed here"))
                : json(response, callback, 404, error("no admin operation at " + API + path));
    }

    /**
     * Reads and drops a request body the answer does not use (a bounded amount), so that the client reads the
     * answer on a connection left in order instead of finding it reset under its next request.
     */
    static void drain(Request request) {
        if (request.getLength() == 0) {
            return;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            Bodies.discard(in, 4L * MAX_BODY);
        } catch (java.io.IOException e) {
            // the client went away; nothing to answer
        }
    }

    private boolean call(Request request, Response response, Callback callback, Operator operator, ApiRoute route,
                         Map<String, String> params) throws Exception {
        try {
            JsonNode body = route.method().equals("GET") ? null : body(request);
            Object answer = RouteCalls.call(new RouteCalls.Match(route, params), operator, query(request), body, audit);
            return json(response, callback, 200, answer);
        } catch (AdminException e) {
            return json(response, callback, e.status(), error(e.getMessage()));
        } catch (dev.baton.core.BatonException e) {
            return json(response, callback, e.code() == dev.baton.core.ResultCode.UNAVAILABLE ? 503 : 400,
                    error(e.code().name() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("admin operation {} {} failed", route.method(), route.path(), e);
            return json(response, callback, 500, error("internal error; the listener's log has the details"));
        }
    }

    private static JsonNode body(Request request) throws Exception {
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = Bodies.readAtMost(in, request.getLength(), MAX_BODY);
            if (bytes.length > MAX_BODY) {
                Bodies.discard(in, 4L * MAX_BODY);
            }
        }
        if (bytes.length > MAX_BODY) {
            throw new AdminException(413, "request body over " + MAX_BODY + " bytes");
        }
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw AdminException.badRequest("request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static Map<String, String> query(Request request) {
        Map<String, String> out = new LinkedHashMap<>();
        Fields fields = Request.extractQueryParameters(request);
        for (Fields.Field f : fields) {
            out.put(f.getName(), f.getValue());
        }
        return out;
    }

    static Map<String, Object> error(String message) {
        return Map.of("error", message);
    }

    static boolean json(Response response, Callback callback, int status, Object value) throws Exception {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(value)), callback);
        return true;
    }

    static boolean text(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, StandardCharsets.UTF_8.encode(body + "\n"), callback);
        return true;
    }
}
