package dev.baton.ifmap.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sends hand-written SOAP bodies to a federation server, as a hostile or sloppy client would. */
final class RawSoap {
    static final String ENV = "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\""
            + " xmlns:ifmap=\"http://www.trustedcomputinggroup.org/2010/IFMAP/2\""
            + " xmlns:meta=\"http://www.trustedcomputinggroup.org/2010/IFMAP-METADATA/2\"><env:Body>";
    static final String END = "</env:Body></env:Envelope>";

    private final HttpClient http;
    private final IfmapServer server;
    private final String auth;

    RawSoap(IfmapServer server, String user) {
        this.server = server;
        this.http = HttpClient.newBuilder().sslContext(TestServers.sslContext(server.certificate()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + TestServers.USERS.get(user))
                .getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(byte[] body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.url())).timeout(Duration.ofSeconds(30))
                .header("Authorization", auth).header("Content-Type", "application/soap+xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String body) throws Exception {
        return send(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code inner} wrapped in an envelope. */
    String request(String inner) throws Exception {
        return send(ENV + inner + END).body();
    }

    /** Opens a session and returns its id. */
    String newSession() throws Exception {
        String body = request("<ifmap:newSession/>");
        Matcher m = Pattern.compile("session-id=\"([^\"]+)\"").matcher(body);
        if (!m.find()) {
            throw new AssertionError("no session-id in " + body);
        }
        return m.group(1);
    }
}
