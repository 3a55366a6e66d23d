package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The federation server's authorization, tried as an attacker with valid federation credentials would, over
 * the real HTTPS/SOAP stack: each test fails if the attack gets through. alice, bob and carol are standard
 * publishers; gw-a and gw-b are gateways; reader and auditor only read; admin cleans up.
 */
class FederationAuthorizationTest {
    private static final String BATON = " xmlns:baton=\"urn:dev.baton:ifmap:1\"";
    private static final String AR = "<access-request name=\"%s\" administrative-domain=\"baton\"/>";

    @TempDir
    Path dir;
    IfmapServer server;

    @BeforeEach
    void start() {
        server = TestServers.builder(dir).inMemoryOnly()
                .rights("carol", PublisherRights.PUBLISHER.withQuotas(2, 3)).build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static String session(String user) {
        return "<baton:session" + BATON + " ifmap-cardinality=\"singleValue\"><user>" + user + "</user><realm>users</realm>"
                + "<auth-server-kind>LOCAL</auth-server-kind><start-time>2026-12-01T00:00:00Z</start-time>"
                + "<last-activity>2026-12-01T00:00:00Z</last-activity><remediation>false</remediation>"
                + "<agent-key>MCowBQYDK2VwAyEA</agent-key></baton:session>";
    }

    private static String owner(String gateway, long generation) {
        return "<baton:session-owner" + BATON + " ifmap-cardinality=\"singleValue\" generation=\"" + generation
                + "\" expected-generation=\"" + (generation - 1) + "\" gateway=\"" + gateway + "\"/>";
    }

    private static String publish(String sid, String item, String... metadata) {
        return "<ifmap:publish session-id=\"" + sid + "\"><update lifetime=\"forever\">" + item + "<metadata>"
                + String.join("", metadata) + "</metadata></update></ifmap:publish>";
    }

    private List<String> graph() {
        return TestServers.graph(server);
    }

    @Test
    void aPublisherThatIsNoGatewayCannotMintASession() throws Exception {
        RawSoap alice = new RawSoap(server, "alice");
        String sid = alice.newSession();
        String answer = alice.request(publish(sid, AR.formatted("ab12"), session("victim"), owner("alice", 1)));
        assertThat(answer).contains("errorCode=\"AccessDenied\"").contains("gateways only");
        answer = alice.request(publish(sid, AR.formatted("ab12"), owner("gw-a", 1)));
        assertThat(answer).contains("errorCode=\"AccessDenied\"");
        // Nor standard metadata on a Baton session: other clients would read its roles.
        answer = alice.request(publish(sid, AR.formatted("ab12"),
                "<meta:role ifmap-cardinality=\"multiValue\"><name>admin</name></meta:role>"));
        assertThat(answer).contains("errorCode=\"AccessDenied\"");
        assertThat(graph()).isEmpty();
    }

    @Test
    void aGatewayCannotPublishOrClaimInAnotherGatewaysName() throws Exception {
        RawSoap gwB = new RawSoap(server, "gw-b");
        String sid = gwB.newSession();
        String answer = gwB.request(publish(sid, AR.formatted("cd34"), session("victim"), owner("gw-a", 1)));
        assertThat(answer).contains("errorCode=\"AccessDenied\"").contains("session-owner names the gateway");
        assertThat(graph()).isEmpty();
        assertThat(gwB.request(publish(sid, AR.formatted("cd34"), session("alice"), owner("gw-b", 1))))
                .contains("publishReceived");
    }

    @Test
    void aNonGatewayCannotClaimARealSessionToSignItsUserOut() throws Exception {
        RawSoap gwA = new RawSoap(server, "gw-a");
        String sidA = gwA.newSession();
        assertThat(gwA.request(publish(sidA, AR.formatted("ef56"), session("alice"), owner("gw-a", 1))))
                .contains("publishReceived");
        List<String> before = graph();
        RawSoap bob = new RawSoap(server, "bob");
        String sid = bob.newSession();
        assertThat(bob.request(publish(sid, AR.formatted("ef56"), owner("bob", 2)))).contains("errorCode=\"AccessDenied\"");
        assertThat(bob.request("<ifmap:publish session-id=\"" + sid + "\"><delete>" + AR.formatted("ef56")
                + "</delete></ifmap:publish>")).contains("errorCode=\"AccessDenied\"");
        assertThat(graph()).isEqualTo(before);
    }

    @Test
    void aClientDeletesOnlyWhatItPublishedAndReplacesNoOneElsesUnlessItIsAnAdmin() throws Exception {
        String device = "<device><name>printer-7</name></device>";
        String location = "<meta:location ifmap-cardinality=\"multiValue\"><location-information type=\"room\" value=\"%s\"/>"
                + "</meta:location>";
        String attribute = "<meta:device-characteristic ifmap-cardinality=\"singleValue\"><manufacturer>%s</manufacturer>"
                + "<discovered-time>2026-12-01T00:00:00Z</discovered-time><discoverer-id>x</discoverer-id>"
                + "<discovery-method>scan</discovery-method></meta:device-characteristic>";
        RawSoap alice = new RawSoap(server, "alice");
        String sidA = alice.newSession();
        assertThat(alice.request(publish(sidA, device, location.formatted("1.01"), attribute.formatted("acme"))))
                .contains("publishReceived");
        List<String> before = graph();

        RawSoap bob = new RawSoap(server, "bob");
        String sidB = bob.newSession();
        // bob's delete reaches only what bob published: nothing here.
        assertThat(bob.request("<ifmap:publish session-id=\"" + sidB + "\"><delete>" + device + "</delete></ifmap:publish>"))
                .contains("publishReceived");
        assertThat(bob.request(publish(sidB, device, attribute.formatted("evil"))))
                .contains("errorCode=\"AccessDenied\"").contains("alice");
        assertThat(bob.request("<ifmap:purgePublisher session-id=\"" + sidB + "\" ifmap-publisher-id=\"alice\"/>"))
                .contains("errorCode=\"AccessDenied\"");
        assertThat(graph()).isEqualTo(before);
        // bob may add his own multiValue metadata beside alice's, and delete it again.
        assertThat(bob.request(publish(sidB, device, location.formatted("2.02")))).contains("publishReceived");
        assertThat(graph()).hasSize(3);
        assertThat(bob.request("<ifmap:publish session-id=\"" + sidB + "\"><delete>" + device + "</delete></ifmap:publish>"))
                .contains("publishReceived");
        assertThat(graph()).isEqualTo(before);

        RawSoap admin = new RawSoap(server, "admin");
        String sidAdmin = admin.newSession();
        assertThat(admin.request("<ifmap:publish session-id=\"" + sidAdmin + "\"><delete>" + device + "</delete></ifmap:publish>"))
                .contains("publishReceived");
        assertThat(graph()).isEmpty();
    }

    @Test
    void readersPublishNothingAndSeeNoBatonVendorMetadataWhileAuditorsDo() throws Exception {
        RawSoap gwA = new RawSoap(server, "gw-a");
        String sidA = gwA.newSession();
        assertThat(gwA.request(publish(sidA, AR.formatted("aa11"), session("alice"), owner("gw-a", 1),
                "<meta:role ifmap-cardinality=\"multiValue\"><name>staff</name></meta:role>"))).contains("publishReceived");
        String search = "<ifmap:search session-id=\"%s\" max-depth=\"0\">" + AR.formatted("aa11") + "</ifmap:search>";

        RawSoap reader = new RawSoap(server, "reader");
        String sidR = reader.newSession();
        assertThat(reader.request(publish(sidR, "<device><name>d</name></device>",
                "<meta:location ifmap-cardinality=\"multiValue\"><location-information type=\"a\" value=\"b\"/></meta:location>")))
                .contains("errorCode=\"AccessDenied\"");
        String seen = reader.request(search.formatted(sidR));
        assertThat(seen).contains("<name>staff</name>").doesNotContain("session-owner").doesNotContain("<user>alice");

        RawSoap alice = new RawSoap(server, "alice"); // a standard publisher: no session data either
        assertThat(alice.request(search.formatted(alice.newSession()))).contains("staff").doesNotContain("baton:session");

        RawSoap auditor = new RawSoap(server, "auditor");
        assertThat(auditor.request(search.formatted(auditor.newSession()))).contains("session-owner").contains("<user>alice");
    }

    @Test
    void aNotifyOfSessionDataFromANonGatewayIsRefusedSoNoSubscriberHearsAForgedLoss() throws Exception {
        RawSoap gwA = new RawSoap(server, "gw-a");
        assertThat(gwA.request(publish(gwA.newSession(), AR.formatted("bb22"), session("alice"), owner("gw-a", 1))))
                .contains("publishReceived");
        RawSoap bob = new RawSoap(server, "bob");
        String sid = bob.newSession();
        assertThat(bob.request("<ifmap:publish session-id=\"" + sid + "\"><notify>" + AR.formatted("bb22") + "<metadata>"
                + owner("bob", 2) + "</metadata></notify></ifmap:publish>")).contains("errorCode=\"AccessDenied\"");
        assertThat(bob.request("<ifmap:publish session-id=\"" + sid + "\"><notify>" + AR.formatted("bb22") + "<metadata>"
                + "<meta:role ifmap-cardinality=\"multiValue\"><name>admin</name></meta:role></metadata></notify></ifmap:publish>"))
                .contains("errorCode=\"AccessDenied\"");
    }

    @Test
    void anAdminCleansUpOthersMetadataButCannotTouchBatonSessions() throws Exception {
        RawSoap gwA = new RawSoap(server, "gw-a");
        assertThat(gwA.request(publish(gwA.newSession(), AR.formatted("cc33"), session("alice"), owner("gw-a", 1))))
                .contains("publishReceived");
        List<String> before = graph();
        RawSoap admin = new RawSoap(server, "admin");
        String sid = admin.newSession();
        assertThat(admin.request("<ifmap:publish session-id=\"" + sid + "\"><delete>" + AR.formatted("cc33")
                + "</delete></ifmap:publish>")).contains("errorCode=\"AccessDenied\"");
        assertThat(admin.request(publish(sid, AR.formatted("cc33"), owner("admin", 2)))).contains("errorCode=\"AccessDenied\"");
        assertThat(graph()).isEqualTo(before);
    }

    @Test
    void aReadersSubscriptionDeliversNoBatonVendorMetadataEither() throws Exception {
        RawSoap reader = new RawSoap(server, "reader");
        String sid = reader.newSession();
        assertThat(reader.request("<ifmap:subscribe session-id=\"" + sid + "\"><update name=\"s\" max-depth=\"0\">"
                + AR.formatted("dd44") + "</update></ifmap:subscribe>")).contains("subscribeReceived");
        reader.request("<ifmap:poll session-id=\"" + sid + "\"/>"); // the first, empty result
        RawSoap gwA = new RawSoap(server, "gw-a");
        assertThat(gwA.request(publish(gwA.newSession(), AR.formatted("dd44"), session("alice"), owner("gw-a", 1),
                "<meta:role ifmap-cardinality=\"multiValue\"><name>staff</name></meta:role>"))).contains("publishReceived");
        String polled = reader.request("<ifmap:poll session-id=\"" + sid + "\"/>");
        assertThat(polled).contains("<name>staff</name>").doesNotContain("session-owner").doesNotContain("<user>alice");
    }

    @Test
    void quotasBoundSubscriptionsPerSessionAndMetadataPerPublisher() throws Exception {
        RawSoap carol = new RawSoap(server, "carol"); // 2 subscriptions, 3 metadata elements
        String sid = carol.newSession();
        String sub = "<ifmap:subscribe session-id=\"" + sid + "\"><update name=\"%s\" max-depth=\"0\">"
                + "<device><name>d</name></device></update></ifmap:subscribe>";
        assertThat(carol.request(sub.formatted("one"))).contains("subscribeReceived");
        assertThat(carol.request(sub.formatted("two"))).contains("subscribeReceived");
        assertThat(carol.request(sub.formatted("one"))).contains("subscribeReceived"); // replacing is not adding
        assertThat(carol.request(sub.formatted("three"))).contains("errorCode=\"AccessDenied\"").contains("at most 2 subscriptions");

        String loc = "<meta:location ifmap-cardinality=\"multiValue\"><location-information type=\"r\" value=\"%d\"/></meta:location>";
        assertThat(carol.request(publish(sid, "<device><name>d</name></device>", loc.formatted(1), loc.formatted(2),
                loc.formatted(3)))).contains("publishReceived");
        assertThat(carol.request(publish(sid, "<device><name>d</name></device>", loc.formatted(4))))
                .contains("errorCode=\"AccessDenied\"").contains("at most 3 metadata");
        assertThat(graph()).hasSize(3);
    }

    @Test
    void aSecondPollOnOneSessionSupersedesTheFirstSoOneClientHoldsOneThread() throws Exception {
        RawSoap bob = new RawSoap(server, "bob");
        String sid = bob.newSession();
        bob.request("<ifmap:subscribe session-id=\"" + sid + "\"><update name=\"s\" max-depth=\"0\">"
                + "<device><name>quiet</name></device></update></ifmap:subscribe>");
        bob.request("<ifmap:poll session-id=\"" + sid + "\"/>"); // the subscription's first (empty) result
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return bob.request("<ifmap:poll session-id=\"" + sid + "\"/>");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300); // the first poll is waiting (the server's poll wait is two minutes)
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> {
            try {
                return bob.request("<ifmap:poll session-id=\"" + sid + "\"/>");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(first.get(10, TimeUnit.SECONDS)).contains("errorResult").contains("superseded");
        RawSoap alice = new RawSoap(server, "alice");
        alice.request(publish(alice.newSession(), "<device><name>quiet</name></device>",
                "<meta:location ifmap-cardinality=\"multiValue\"><location-information type=\"r\" value=\"1\"/></meta:location>"));
        assertThat(second.get(10, TimeUnit.SECONDS)).contains("pollResult").contains("location-information");
    }

    @Test
    void aSearchAskingForAHugeDepthOrSizeIsServedWithinTheServersBounds() throws Exception {
        IfmapServer bounded = TestServers.builder(dir.resolve("b")).inMemoryOnly().searchLimits(new SearchLimits(1, 5_000))
                .build().start();
        try {
            RawSoap alice = new RawSoap(bounded, "alice");
            String sid = alice.newSession();
            String link = "<meta:device-ip ifmap-cardinality=\"singleValue\"/>";
            for (int i = 0; i < 3; i++) { // a chain d0 - ip0 - d1 ... : depth 2 reaches d1
                String ip = "<ip-address value=\"10.0.0." + i + "\" type=\"IPv4\"/>";
                assertThat(alice.request("<ifmap:publish session-id=\"" + sid + "\"><update><device><name>d" + i
                        + "</name></device>" + ip + "<metadata>" + link + "</metadata></update><update><device><name>d"
                        + (i + 1) + "</name></device>" + ip + "<metadata>" + link + "</metadata></update></ifmap:publish>"))
                        .contains("publishReceived");
            }
            String deep = alice.request("<ifmap:search session-id=\"" + sid + "\" max-depth=\"1000\" max-size=\"2000000000\">"
                    + "<device><name>d0</name></device></ifmap:search>");
            assertThat(deep).contains("10.0.0.0").doesNotContain("<name>d1</name>"); // depth capped at 1
            StringBuilder big = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                big.append("<meta:location ifmap-cardinality=\"multiValue\"><location-information type=\"r\" value=\"")
                        .append("x".repeat(100)).append(i).append("\"/></meta:location>");
            }
            assertThat(alice.request(publish(sid, "<device><name>d0</name></device>", big.toString()))).contains("publishReceived");
            assertThat(alice.request("<ifmap:search session-id=\"" + sid + "\" max-depth=\"0\" max-size=\"2000000000\">"
                    + "<device><name>d0</name></device></ifmap:search>")).contains("SearchResultsTooBig");
        } finally {
            bounded.stop();
        }
    }
}
