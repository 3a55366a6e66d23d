package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ifmap.xml.RequestParser;
import dev.baton.ifmap.xml.XmlLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Random and mutated SOAP bodies against the endpoint: every one is answered with a SOAP fault or an
 * IF-MAP response, never with an internal error, answers stay small, and the endpoint keeps working.
 */
class SoapFuzzTest {
    private static final String ENV = "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\""
            + " xmlns:ifmap=\"http://www.trustedcomputinggroup.org/2010/IFMAP/2\""
            + " xmlns:meta=\"http://www.trustedcomputinggroup.org/2010/IFMAP-METADATA/2\"><env:Body>";
    private static final String END = "</env:Body></env:Envelope>";
    private static final List<String> VALID = List.of(
            "<ifmap:publish session-id=\"SID\"><update lifetime=\"forever\"><access-request name=\"ar1\"/>"
                    + "<identity name=\"u\" type=\"username\"/><metadata><meta:authenticated-as"
                    + " ifmap-cardinality=\"singleValue\"/></metadata></update><delete filter=\"meta:role\">"
                    + "<access-request name=\"ar1\"/></delete></ifmap:publish>",
            "<ifmap:search session-id=\"SID\" max-depth=\"3\" match-links=\"meta:ip-mac or meta:authenticated-as\""
                    + " result-filter=\"meta:role[@ifmap-publisher-id='x']\"><ip-address value=\"10.0.0.1\"/></ifmap:search>",
            "<ifmap:subscribe session-id=\"SID\"><update name=\"s\" max-depth=\"1\"><device><name>d</name></device>"
                    + "</update><delete name=\"t\"/></ifmap:subscribe>",
            "<ifmap:publish session-id=\"SID\"><notify><mac-address value=\"aa:bb:cc:dd:ee:ff\"/><metadata>"
                    + "<v:x xmlns:v=\"urn:v\" ifmap-cardinality=\"multiValue\"><v:y>t</v:y></v:x></metadata></notify>"
                    + "</ifmap:publish>",
            "<ifmap:purgePublisher session-id=\"SID\" ifmap-publisher-id=\"fuzz\"/>",
            "<ifmap:newSession max-poll-result-size=\"1000\"/>",
            "<ifmap:renewSession session-id=\"SID\"/>");

    private MapService service;
    private SoapEndpoint endpoint;
    private String sid;

    @BeforeProperty
    void start() {
        service = new MapService(InstantSource.system(), Duration.ofMinutes(5), Duration.ofMillis(1), 100_000,
                u -> PublisherRights.PUBLISHER, MetadataStore.none());
        endpoint = new SoapEndpoint(service, new RequestParser(new XmlLimits(256 * 1024, 32, 5_000), 8192));
        sid = service.newSession("fuzz", 0).id;
    }

    @AfterProperty
    void stop() {
        service.close();
    }

    @Property(tries = 1500)
    void mutatedRequestsAreAnsweredWithoutInternalErrors(@ForAll("mutatedRequests") String body) {
        check(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void arbitraryBytesAreAnsweredWithoutInternalErrors(@ForAll byte[] body) {
        check(body);
    }

    @Property(tries = 200)
    void validRequestsStillWorkBetweenHostileOnes(@ForAll("mutatedRequests") String hostile) {
        check(hostile.getBytes(StandardCharsets.UTF_8));
        SoapEndpoint.Answer ok = endpoint.handle("fuzz", (ENV + "<ifmap:renewSession session-id=\"" + sid + "\"/>"
                + END).getBytes(StandardCharsets.UTF_8));
        if (!ok.body().contains("renewSessionResult")) {
            // a mutated newSession may have replaced the fuzz user's session; open another one
            sid = service.newSession("fuzz", 0).id;
        } else {
            assertThat(ok.status()).isEqualTo(200);
        }
    }

    private void check(byte[] body) {
        SoapEndpoint.Answer a = endpoint.handle("fuzz", body);
        assertThat(a.status()).isIn(200, 400);
        assertThat(a.body()).doesNotContain("internal error").hasSizeLessThan(64 * 1024);
        if (a.status() == 200) {
            assertThat(a.body()).contains("<ifmap:response>");
        } else {
            assertThat(a.body()).contains("<env:Fault>");
        }
    }

    @Provide
    Arbitrary<String> mutatedRequests() {
        Arbitrary<String> base = Arbitraries.of(VALID).map(v -> ENV + v.replace("SID", sid) + END);
        Arbitrary<String> junk = Arbitraries.strings().withChars("<>/=\"'&;:![]-?x#aZ09 \u00e9\u0000\uffff")
                .ofMinLength(0).ofMaxLength(12);
        return Combinators.combine(base, Arbitraries.integers().between(0, 10_000), Arbitraries.integers()
                .between(0, 8), junk).as((b, at, cut, j) -> {
                    int pos = at % (b.length() + 1);
                    int end = Math.min(b.length(), pos + cut);
                    return b.substring(0, pos) + j + b.substring(end);
                });
    }
}
