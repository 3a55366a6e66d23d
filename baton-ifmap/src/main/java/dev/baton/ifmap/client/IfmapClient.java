package dev.baton.ifmap.client;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Xml;
import dev.baton.ifmap.xml.MalformedRequestException;
import dev.baton.ifmap.xml.ResponseParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A plain IF-MAP 2.x client over SOAP/HTTPS with HTTP basic auth: the SSRC (every request but poll) and
 * the ARC (poll, which blocks until results come) on separate pooled HTTP clients, so a waiting poll never
 * holds up a publish. One client session at a time; thread-safe.
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
    private final HttpClient ssrc;
    private final HttpClient arc;
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
        this.ssrc = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout).build();
        this.arc = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout).build();
        this.requestTimeout = requestTimeout;
        this.pollTimeout = pollTimeout;
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
        q.appendAttributes(req);
        req.append('>');
        q.start().appendXml(req, "");
        return call(ssrc, req.append("</ifmap:search>").toString(), requestTimeout).items();
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
            op.query().appendAttributes(req);
            req.append('>');
            op.query().start().appendXml(req, "");
            req.append("</update>");
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

    private ResponseParser.Response call(HttpClient http, String request, Duration timeout) {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout).header("Authorization", authorization)
                .header("Content-Type", "application/soap+xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(ENV + request + END, StandardCharsets.UTF_8)).build();
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new BatonException(ResultCode.UNAVAILABLE, "federation server " + url + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatonException(ResultCode.UNAVAILABLE, "interrupted while talking to " + url, e);
        }
        if (resp.statusCode() == 401) {
            throw new BatonException(ResultCode.AUTHENTICATION_FAILED, "federation server " + url
                    + " rejected the credentials");
        }
        try {
            return ResponseParser.parse(resp.body());
        } catch (MalformedRequestException e) {
            throw new BatonException(ResultCode.UNAVAILABLE, "federation server " + url + " answered HTTP "
                    + resp.statusCode() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        ssrc.close();
        arc.close();
    }
}
