package dev.baton.ifmap.client;

import dev.baton.ifmap.model.PollResult;
import dev.baton.ifmap.model.ResultItem;
import dev.baton.core.BatonException;
import dev.baton.http.Deadlines;
import dev.baton.core.ResultCode;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Xml;
import dev.baton.ifmap.xml.MalformedRequestException;
import dev.baton.ifmap.xml.ResponseParser;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * A plain IF-MAP 2.x client over SOAP/HTTPS with HTTP basic auth: the SSRC (every request but poll) and
 * the ARC (poll, which blocks until results come) on separate pooled HTTP clients, so a waiting poll never
 * holds up a publish. HTTP is Apache HttpClient 5 (classic, blocking): a request runs on the caller's
 * thread with no hand-offs, which measured about half the CPU per request of {@code java.net.http}. One
 * client session at a time; thread-safe.
 *
 * <p>Failures: an errorResult raises {@link IfmapException} with its code; an unreachable server or an
 * unreadable answer raises {@link BatonException} with {@link ResultCode#UNAVAILABLE}; wrong credentials
 * {@link ResultCode#AUTHENTICATION_FAILED}.
 */
public final class IfmapClient implements AutoCloseable {
    private static final String ENV = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><env:Envelope xmlns:env=\""
            + Xml.SOAP_NS + "\" xmlns:ifmap=\"" + Xml.IFMAP_NS + "\"><env:Body>";
    private static final String END = "</env:Body></env:Envelope>";

    private final URI url;
    private final String authorization;
    private final CloseableHttpClient ssrc;
    private final CloseableHttpClient arc;
    private final Duration requestTimeout;
    private final Duration pollTimeout;
    private volatile String sessionId;
    private volatile String publisherId;

    /**
     * A client of the server at {@code url}.
     *
     * @param ssl            TLS context trusting the server's certificate
     * @param requestTimeout limit for every SSRC request
     * @param pollTimeout    limit for one poll (longer than the server's poll wait)
     */
    public IfmapClient(URI url, String user, String password, SSLContext ssl, Duration requestTimeout,
                       Duration pollTimeout) {
        this.url = url;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        this.ssrc = http(ssl, requestTimeout, MAX_SSRC_CONNECTIONS);
        this.arc = http(ssl, requestTimeout, 2);
        this.requestTimeout = requestTimeout;
        this.pollTimeout = pollTimeout;
    }

    /** Connections kept to the server for SSRC requests sent at once by a busy gateway. */
    private static final int MAX_SSRC_CONNECTIONS = 64;

    private static CloseableHttpClient http(SSLContext ssl, Duration connect, int connections) {
        // No socket timeout: the request's limit is kept by Deadlines, which aborts an overdue request (a timed
        // read costs a virtual thread two timer hand-offs; see Deadlines).
        var connectionConfig = ConnectionConfig.custom().setConnectTimeout(Timeout.of(connect))
                .setSocketTimeout(Timeout.DISABLED)
                // A connection idle this long is checked before reuse: the server may have restarted meanwhile.
                .setValidateAfterInactivity(org.apache.hc.core5.util.TimeValue.ofSeconds(2)).build();
        var manager = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(ssl))
                .setDefaultConnectionConfig(connectionConfig)
                // A TLS handshake is bounded even so: one to a server that stopped mid-handshake would otherwise block
                // a poll until its deadline (150 s), deaf to lost sessions. A handshake is once per connection, so
                // this timer costs nothing per request.
                .setDefaultTlsConfig(org.apache.hc.client5.http.config.TlsConfig.custom()
                        .setHandshakeTimeout(Timeout.of(connect)).build())
                .setMaxConnTotal(connections).setMaxConnPerRoute(connections).build();
        return HttpClients.custom().setConnectionManager(manager)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.DISABLED).build())
                .disableAutomaticRetries().disableCookieManagement().disableRedirectHandling().build();
    }

    /** Opens a new client session; returns its id. */
    public synchronized String newSession(long maxPollResultSize) {
        String attr = maxPollResultSize > 0 ? " max-poll-result-size=\"" + maxPollResultSize + "\"" : "";
        ResponseParser.Response r = call(ssrc, "<ifmap:newSession" + attr + "/>", requestTimeout);
        sessionId = r.attributes().get("session-id");
        publisherId = r.attributes().get("ifmap-publisher-id");
        if (sessionId == null || publisherId == null) {
            throw new BatonException(ResultCode.UNAVAILABLE, "newSessionResult from " + url + " lacks session-id");
        }
        return sessionId;
    }

    /** The current session id, or {@code null} before {@link #newSession}. */
    public String sessionId() {
        return sessionId;
    }

    /** The publisher id the server gave this client. */
    public String publisherId() {
        return publisherId;
    }

    /** Keeps the session alive. */
    public void renewSession() {
        call(ssrc, "<ifmap:renewSession session-id=\"" + sid() + "\"/>", requestTimeout);
    }

    /** Ends the session; its session-lifetime metadata goes. */
    public void endSession() {
        call(ssrc, "<ifmap:endSession session-id=\"" + sid() + "\"/>", requestTimeout);
        sessionId = null;
    }

    /** Sends {@code publish}; the server applies it atomically. */
    public void publish(Publish publish) {
        call(ssrc, "<ifmap:publish session-id=\"" + sid() + "\" xmlns:meta=\"" + Xml.META_NS + "\" xmlns:baton=\""
                + Xml.BATON_NS + "\">" + publish.operations() + "</ifmap:publish>", requestTimeout);
    }

    /** Runs a search. */
    public List<ResultItem> search(SearchQuery q) {
        StringBuilder req = new StringBuilder("<ifmap:search session-id=\"").append(sid()).append('"');
        q.appendRest(req, "ifmap:search");
        return call(ssrc, req.toString(), requestTimeout).items();
    }

    /**
     * Runs several searches in one request: Baton's {@code searchBatch} extension, which only Baton's federation
     * server answers. Results come in the order of {@code queries}; one that failed on its own is an
     * {@code errorResult} in its place.
     */
    public List<PollResult> searchBatch(List<SearchQuery> queries) {
        StringBuilder req = new StringBuilder(128 * queries.size() + 128).append("<baton:searchBatch session-id=\"")
                .append(sid()).append("\" xmlns:baton=\"").append(Xml.BATON_NS).append("\">");
        for (SearchQuery q : queries) {
            q.appendRest(req.append("<search"), "search");
        }
        List<PollResult> results = call(ssrc, req.append("</baton:searchBatch>").toString(), requestTimeout).pollResults();
        if (results.size() != queries.size()) {
            throw new IfmapException(IfmapError.SystemError, "searchBatch of " + queries.size() + " searches answered with "
                    + results.size() + " results");
        }
        return results;
    }

    /** Creates or replaces the subscription {@code name}. */
    public void subscribe(String name, SearchQuery q) {
        subscribe(List.of(SubscribeOp.update(name, q)));
    }

    /** Deletes the subscription {@code name}. */
    public void unsubscribe(String name) {
        subscribe(List.of(SubscribeOp.delete(name)));
    }

    /**
     * Sends {@code ops} in one subscribe request; the server applies them in order (IF-MAP 2.x allows any
     * number of update and delete elements per request).
     */
    public void subscribe(List<SubscribeOp> ops) {
        if (ops.isEmpty()) {
            return;
        }
        StringBuilder req = new StringBuilder("<ifmap:subscribe session-id=\"").append(sid()).append("\">");
        for (SubscribeOp op : ops) {
            req.append(op.query() == null ? "<delete name=\"" : "<update name=\"").append(Xml.escapeAttribute(op.name())).append('"');
            if (op.query() == null) {
                req.append("/>");
                continue;
            }
            op.query().appendRest(req, "update");
        }
        call(ssrc, req.append("</ifmap:subscribe>").toString(), requestTimeout);
    }

    /**
     * One operation of a subscribe request: create or replace subscription {@code name} with {@code query},
     * or delete it when {@code query} is {@code null}.
     */
    public record SubscribeOp(String name, SearchQuery query) {
        /** Creates or replaces subscription {@code name}. */
        public static SubscribeOp update(String name, SearchQuery query) {
            return new SubscribeOp(name, java.util.Objects.requireNonNull(query, "query"));
        }

        /** Deletes subscription {@code name}. */
        public static SubscribeOp delete(String name) {
            return new SubscribeOp(name, null);
        }
    }

    /** Removes all metadata this client published. */
    public void purgePublisher() {
        call(ssrc, "<ifmap:purgePublisher session-id=\"" + sid() + "\" ifmap-publisher-id=\""
                + Xml.escapeAttribute(publisherId) + "\"/>", requestTimeout);
    }

    /** Waits on the ARC for subscription results; an empty list when the server's poll wait passed. */
    public List<PollResult> poll() {
        return call(arc, "<ifmap:poll session-id=\"" + sid() + "\"/>", pollTimeout).pollResults();
    }

    private String sid() {
        String s = sessionId;
        if (s == null) {
            throw new IfmapException(IfmapError.InvalidSessionID, "no IF-MAP session open with " + url);
        }
        return Xml.escapeAttribute(s);
    }

    private ResponseParser.Response call(CloseableHttpClient http, String request, Duration timeout) {
        HttpPost post = new HttpPost(url);
        post.setHeader("Authorization", authorization);
        post.setEntity(new ByteArrayEntity((ENV + request + END).getBytes(StandardCharsets.UTF_8), SOAP));
        Answer answer;
        Deadlines.Watch limit = Deadlines.watch(timeout, post::cancel);
        try (limit) {
            answer = http.execute(post, r -> new Answer(r.getCode(), body(r.getEntity())));
        } catch (IOException e) {
            if (limit.fired()) {
                throw new BatonException(ResultCode.UNAVAILABLE, "federation server " + url + " did not answer within "
                        + timeout.toMillis() + " ms", e);
            }
            throw new BatonException(ResultCode.UNAVAILABLE, "federation server " + url + " unreachable: " + e, e);
        }
        if (answer.status() == 401) {
            throw new BatonException(ResultCode.AUTHENTICATION_FAILED, "federation server " + url
                    + " rejected the credentials");
        }
        try {
            return ResponseParser.parse(answer.body() == null ? new byte[0] : answer.body());
        } catch (MalformedRequestException e) {
            throw new BatonException(ResultCode.UNAVAILABLE, "federation server " + url + " answered HTTP "
                    + answer.status() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The answer's body. One of declared length within {@link ResponseParser#MAX_BYTES} is read into an array
     * of exactly that size ({@code EntityUtils.toByteArray} would copy it through a 4 KB buffer and a growing
     * one); otherwise up to one byte past the limit, which the
     * parser then refuses.
     */
    private static byte[] body(org.apache.hc.core5.http.HttpEntity entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        try (java.io.InputStream in = entity.getContent()) {
            return dev.baton.http.Bodies.readAtMost(in, entity.getContentLength(), ResponseParser.MAX_BYTES);
        }
    }

    private static final ContentType SOAP = ContentType.create("application/soap+xml", StandardCharsets.UTF_8);

    private record Answer(int status, byte[] body) {
    }

    @Override
    public void close() {
        ssrc.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
        arc.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
    }
}
