package dev.baton.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.api.AccessResult;
import dev.baton.core.api.Challenge;
import dev.baton.core.api.ConnectRequest;
import dev.baton.core.api.GatewayEndpoint;
import dev.baton.core.api.SignInRequest;
import dev.baton.core.api.SignInResult;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * A gateway reached over its HTTPS agent API. One HTTP client (and its connections) is reused for every call.
 * {@link #name()} reads the gateway's {@code /health} endpoint; behind a load balancer it names whichever
 * gateway answered, so proofs of possession use the name carried by each {@link Challenge} instead.
 *
 * <p>Thread-safe.
 */
public final class HttpGatewayEndpoint implements GatewayEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param base    the gateway's base URL, e.g. {@code https://127.0.0.1:8444}
     * @param tls     trust for the gateway's certificate
     * @param timeout per-request timeout
     */
    public HttpGatewayEndpoint(URI base, SSLContext tls, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
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
    public AccessResult access(String sessionId) {
        return convert(call("POST", "/api/v1/access", null, sessionId), AccessResult.class);
    }

    @Override
    public AccessResult heartbeat(String sessionId, Map<String, String> posture) {
        return convert(call("POST", "/api/v1/heartbeat", Map.of("posture", posture), sessionId), AccessResult.class);
    }

    @Override
    public void signOut(String sessionId) {
        call("POST", "/api/v1/sign-out", null, sessionId);
    }

    private JsonNode call(String method, String path, Object body, String sessionId) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            if (sessionId != null) {
                b.header("Authorization", "Session " + sessionId);
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = r.body().length == 0 ? JSON.nullNode() : JSON.readTree(r.body());
            if (r.statusCode() >= 400) {
                throw new BatonException(code(json.path("code").asText()), json.path("message").asText("HTTP " + r.statusCode()));
            }
            return json;
        } catch (ConnectException | HttpTimeoutException e) {
            throw new BatonException(ResultCode.UNAVAILABLE, "gateway " + base + " is unreachable: " + e, e);
        } catch (IOException e) {
            throw new BatonException(ResultCode.UNAVAILABLE, "talking to gateway " + base + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatonException(ResultCode.UNAVAILABLE, "interrupted while talking to gateway " + base, e);
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
