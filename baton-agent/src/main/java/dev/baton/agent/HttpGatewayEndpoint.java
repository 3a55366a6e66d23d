package dev.baton.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.baton.core.BatonException;
import dev.baton.http.Deadlines;
import dev.baton.core.ResultCode;
import dev.baton.core.api.AccessResult;
import dev.baton.core.api.Challenge;
import dev.baton.core.api.ConnectRequest;
import dev.baton.core.api.GatewayEndpoint;
import dev.baton.core.api.SignInRequest;
import dev.baton.core.api.SessionProof;
import dev.baton.core.api.SignInResult;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import java.util.Map;

/**
 * A gateway reached over its HTTPS agent API. One HTTP client (Apache HttpClient 5, classic: blocking, on
 * the caller's thread) and its connections are reused for every call; a connection idle for a second is
 * checked before reuse, so a gateway that died behind a load balancer costs no failed request.
 * {@link #name()} reads the gateway's {@code /health} endpoint; behind a load balancer it names whichever
 * gateway answered, so proofs of possession use the name carried by each {@link Challenge} instead.
 *
 * <p>Thread-safe.
 */
public final class HttpGatewayEndpoint implements GatewayEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            // a pool shared by all threads: the default is per thread, which virtual threads never reuse
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedBoundedPool()).build())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI base;
    private final CloseableHttpClient http;
    private final Duration timeout;

    /**
     * @param base    the gateway's base URL, e.g. {@code https://127.0.0.1:8444}
     * @param tls     trust for the gateway's certificate
     * @param timeout per-request timeout
     */
    public HttpGatewayEndpoint(URI base, SSLContext tls, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls))
                // No socket timeout: Deadlines aborts a request that outlives `timeout` (cheaper on virtual threads)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(timeout))
                        .setSocketTimeout(Timeout.DISABLED).setValidateAfterInactivity(TimeValue.ofSeconds(1)).build())
                .setMaxConnTotal(16).setMaxConnPerRoute(16).build();
        this.http = HttpClients.custom().setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.DISABLED).build())
                .disableAutomaticRetries().disableCookieManagement().disableRedirectHandling().build();
    }

    @Override
    public String name() {
        return call("GET", "/health", null, null).path("gateway").asText();
    }

    @Override
    public SignInResult signIn(SignInRequest request) {
        return convert(call("POST", "/api/v1/sign-in", request, null), SignInResult.class);
    }

    @Override
    public Challenge challenge() {
        return convert(call("POST", "/api/v1/challenge", null, null), Challenge.class);
    }

    @Override
    public AccessResult connect(ConnectRequest request) {
        return convert(call("POST", "/api/v1/connect", request, null), AccessResult.class);
    }

    @Override
    public AccessResult access(SessionProof proof) {
        return convert(call("POST", "/api/v1/access", null, proof), AccessResult.class);
    }

    @Override
    public AccessResult heartbeat(SessionProof proof, Map<String, String> posture) {
        return convert(call("POST", "/api/v1/heartbeat", Map.of("posture", posture), proof), AccessResult.class);
    }

    @Override
    public void signOut(SessionProof proof) {
        call("POST", "/api/v1/sign-out", null, proof);
    }

    /**
     * The answer's body; one of declared length up to 1 MiB is read into an array of exactly that size
     * ({@code EntityUtils.toByteArray} copies through a 4 KB buffer and a growing one).
     */
    private static byte[] body(org.apache.hc.core5.http.HttpEntity entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        long declared = entity.getContentLength();
        if (declared < 0 || declared > 1 << 20) {
            return EntityUtils.toByteArray(entity);
        }
        try (java.io.InputStream in = entity.getContent()) {
            return dev.baton.http.Bodies.readDeclared(in, (int) declared);
        }
    }

    private JsonNode call(String method, String path, Object body, SessionProof proof) {
        HttpUriRequestBase request = new HttpUriRequestBase(method, base.resolve(path));
        Deadlines.Watch limit = Deadlines.watch(timeout, request::cancel);
        try (limit) {
            if (body != null) {
                request.setEntity(new ByteArrayEntity(JSON.writeValueAsBytes(body), ContentType.APPLICATION_JSON));
            }
            if (proof != null) {
                request.setHeader("Authorization", "Session " + proof.sessionId());
                if (proof.challenge() != null && proof.signature() != null) {
                    request.setHeader("Baton-Challenge", proof.challenge()); // GatewayServer.CHALLENGE_HEADER
                    request.setHeader("Baton-Signature", proof.signature());
                }
            }
            return http.execute(request, r -> {
                byte[] bytes = body(r.getEntity());
                JsonNode json = bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes);
                if (r.getCode() >= 400) {
                    throw new BatonException(code(json.path("code").asText()), json.path("message").asText("HTTP " + r.getCode()));
                }
                return json;
            });
        } catch (ConnectException | SocketTimeoutException e) { // incl. HttpHostConnectException, ConnectTimeoutException
            throw new BatonException(ResultCode.UNAVAILABLE, "gateway " + base + " is unreachable: " + e
                    + "; check --gateway and that the gateway runs and listens there", e);
        } catch (IOException e) {
            if (limit.fired()) {
                throw new BatonException(ResultCode.UNAVAILABLE, "gateway " + base + " did not answer within "
                        + timeout.toMillis() + " ms; try again, or wait longer with --timeout", e);
            }
            throw new BatonException(ResultCode.UNAVAILABLE, "talking to gateway " + base + " failed: " + e, e);
        }
    }

    private static ResultCode code(String name) {
        try {
            return ResultCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return ResultCode.INTERNAL;
        }
    }

    private static <T> T convert(JsonNode json, Class<T> type) {
        try {
            return JSON.treeToValue(json, type);
        } catch (IOException e) {
            throw new BatonException(ResultCode.INTERNAL, "gateway answered an unreadable " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "gateway at " + base;
    }
}
