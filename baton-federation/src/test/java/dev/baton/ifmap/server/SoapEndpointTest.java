package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and malformed requests get a SOAP fault or an errorResult naming the problem; the server stays up. */
class SoapEndpointTest {
    @TempDir
    static Path dir;
    static IfmapServer server;
    static RawSoap alice;
    static String sid;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.builder(dir).inMemoryOnly().maxMetadataLength(4096).build().start();
        alice = new RawSoap(server, "alice");
        sid = alice.newSession();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static String publish(String ops) throws Exception {
        return alice.request("<ifmap:publish session-id=\"" + sid + "\">" + ops + "</ifmap:publish>");
    }

    @Test
    void externalEntityIsRefusedWithSoapFaultAndNotResolved() throws Exception {
        HttpResponse<String> r = alice.send("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + RawSoap.ENV + "<ifmap:newSession>&e;</ifmap:newSession>" + RawSoap.END);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("env:Fault").contains("DTD").doesNotContain("root:");
    }

    @Test
    void entityExpansionBombIsRefused() throws Exception {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;\">]><l>&c;</l>";
        HttpResponse<String> r = alice.send(bomb);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("DTD");
    }

    @Test
    void deepNestingIsRefusedNamingTheBound() throws Exception {
        String deep = "<v:a xmlns:v=\"urn:v\" ifmap-cardinality=\"multiValue\">" + "<v:a>".repeat(200)
                + "</v:a>".repeat(201);
        HttpResponse<String> r = alice.send(RawSoap.ENV + "<ifmap:publish session-id=\"" + sid + "\"><update>"
                + "<access-request name=\"d\"/><metadata>" + deep + "</metadata></update></ifmap:publish>" + RawSoap.END);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("nesting deeper than 48");
    }

    @Test
    void nonXmlAndNonSoapAndUnknownRequestsGetFaults() throws Exception {
        assertThat(alice.send("hello").body()).contains("env:Fault").contains("XML");
        assertThat(alice.send("<a/>").body()).contains("expected &lt;Envelope&gt; but found &lt;a&gt;");
        assertThat(alice.send(RawSoap.ENV + "<ifmap:dance/>" + RawSoap.END).body())
                .contains("unknown IF-MAP request &lt;dance&gt;");
    }

    @Test
    void invalidIdentifiersGetTheirErrorCodes() throws Exception {
        assertThat(publish("<update><ip-address value=\"999.1.1.1\" type=\"IPv4\"/><metadata><meta:role"
                + " ifmap-cardinality=\"multiValue\"><name>x</name></meta:role></metadata></update>"))
                .contains("errorCode=\"InvalidIdentifier\"").contains("999.1.1.1");
        assertThat(publish("<update><toaster name=\"t\"/><metadata><meta:role ifmap-cardinality=\"multiValue\">"
                + "<name>x</name></meta:role></metadata></update>")).contains("errorCode=\"InvalidIdentifierType\"");
        assertThat(publish("<update><access-request name=\"" + "n".repeat(3000) + "\"/><metadata><meta:role"
                + " ifmap-cardinality=\"multiValue\"><name>x</name></meta:role></metadata></update>"))
                .contains("errorCode=\"IdentifierTooLong\"");
        assertThat(publish("<update><identity name=\"u\" type=\"nickname\"/><metadata><meta:role"
                + " ifmap-cardinality=\"multiValue\"><name>x</name></meta:role></metadata></update>"))
                .contains("errorCode=\"InvalidIdentifier\"").contains("nickname");
    }

    @Test
    void badMetadataGetsInvalidMetadataOrMetadataTooLong() throws Exception {
        assertThat(publish("<update><access-request name=\"m1\"/><metadata><v:x xmlns:v=\"urn:v\"/></metadata></update>"))
                .contains("errorCode=\"InvalidMetadata\"").contains("no ifmap-cardinality");
        assertThat(publish("<update><access-request name=\"m1\"/><metadata><v:x xmlns:v=\"urn:v\""
                + " ifmap-cardinality=\"sometimes\"/></metadata></update>")).contains("errorCode=\"InvalidMetadata\"");
        assertThat(publish("<update><access-request name=\"m1\"/><metadata><v:x xmlns:v=\"urn:v\""
                + " ifmap-cardinality=\"multiValue\">" + "y".repeat(5000) + "</v:x></metadata></update>"))
                .contains("errorCode=\"MetadataTooLong\"");
    }

    @Test
    void vendorMetadataIsStoredAndReturnedAsItCame() throws Exception {
        String vendor = "<acme:posture xmlns:acme=\"urn:acme:posture\" ifmap-cardinality=\"singleValue\""
                + " acme:level=\"3\"><acme:check name=\"av\">up to date &amp; running</acme:check><note/></acme:posture>";
        assertThat(publish("<update><access-request name=\"vendor-1\"/><metadata>" + vendor + "</metadata></update>"))
                .contains("publishReceived");
        String result = alice.request("<ifmap:search session-id=\"" + sid + "\" result-filter=\"acme:posture\""
                + " xmlns:acme=\"urn:acme:posture\"><access-request name=\"vendor-1\"/></ifmap:search>");
        assertThat(result).contains("<acme:posture xmlns:acme=\"urn:acme:posture\" ifmap-cardinality=\"singleValue\""
                + " acme:level=\"3\" ifmap-publisher-id=\"alice\" ifmap-timestamp=\"")
                .contains("><acme:check name=\"av\">up to date &amp; running</acme:check><note></note></acme:posture>");
    }

    @Test
    void filterWithUndeclaredPrefixIsAFailureNamingThePrefix() throws Exception {
        String result = alice.request("<ifmap:search session-id=\"" + sid + "\" result-filter=\"zz:role\">"
                + "<access-request name=\"x\"/></ifmap:search>");
        assertThat(result).contains("errorCode=\"Failure\"").contains("undeclared prefix 'zz'");
    }

    @Test
    void oversizedBodyIsRefusedWith413() throws Exception {
        byte[] big = new byte[9 << 20];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> r = alice.send(big);
        assertThat(r.statusCode()).isIn(413, 400);
        assertThat(alice.request("<ifmap:renewSession session-id=\"" + sid + "\"/>")).contains("renewSessionResult");
    }

    @Test
    void missingCredentialsGet401() throws Exception {
        var http = java.net.http.HttpClient.newBuilder().sslContext(TestServers.sslContext(server.certificate())).build();
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url()))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("<x/>")).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    }
}
