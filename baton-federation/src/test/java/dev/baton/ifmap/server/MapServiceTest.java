package dev.baton.ifmap.server;

import dev.baton.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Request;
import dev.baton.ifmap.xml.RequestParser;
import dev.baton.ifmap.xml.XmlLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The MAP's rules without a network: subscriptions, diffs, notify, ownership compare-and-set. */
class MapServiceTest {
    private static final String NS = " xmlns:meta=\"http://www.trustedcomputinggroup.org/2010/IFMAP-METADATA/2\""
            + " xmlns:baton=\"urn:dev.baton:ifmap:1\"";
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MapService service = new MapService(clock, Duration.ofMinutes(3), Duration.ofMillis(10), 100_000,
            u -> u.startsWith("gw-") ? PublisherRights.GATEWAY : PublisherRights.PUBLISHER, MetadataStore.none());
    private final RequestParser parser = new RequestParser(XmlLimits.DEFAULTS, 65_536);

    @AfterEach
    void close() {
        service.close();
    }

    private Request parse(String inner) {
        return parser.parse(("<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body>" + inner
                .replace("IFNS", "xmlns:ifmap=\"http://www.trustedcomputinggroup.org/2010/IFMAP/2\"")
                + "</e:Body></e:Envelope>").getBytes(StandardCharsets.UTF_8));
    }

    private void publish(ClientSession s, String ops) {
        Request.Publish p = (Request.Publish) parse("<ifmap:publish IFNS" + NS + " session-id=\"x\">" + ops + "</ifmap:publish>");
        service.publish(s, p.operations());
    }

    private void subscribe(ClientSession s, String name, String attrs, String identifier) {
        Request.Subscribe q = (Request.Subscribe) parse("<ifmap:subscribe IFNS" + NS + " session-id=\"x\"><update name=\""
                + name + "\" " + attrs + ">" + identifier + "</update></ifmap:subscribe>");
        service.subscribe(s, q.operations());
    }

    private static String role(String name) {
        return "<meta:role ifmap-cardinality=\"multiValue\"><name>" + name + "</name></meta:role>";
    }

    private static String owner(long generation, String gateway) {
        return "<baton:session-owner ifmap-cardinality=\"singleValue\" generation=\"" + generation
                + "\" expected-generation=\"" + (generation - 1) + "\" gateway=\"" + gateway + "\"/>";
    }

    @Test
    void replacedSingleValueMetadataReachesSubscribersAsAnUpdateOnly() {
        ClientSession a = service.newSession("a", 0);
        ClientSession b = service.newSession("b", 0);
        subscribe(b, "s", "max-depth=\"1\"", "<access-request name=\"ar\"/>");
        String link = "<access-request name=\"ar\"/><identity name=\"u\" type=\"username\"/>";
        publish(a, "<update>" + link + "<metadata><meta:authenticated-as ifmap-cardinality=\"singleValue\"/></metadata></update>");
        publish(a, "<update>" + link + "<metadata><meta:authenticated-as ifmap-cardinality=\"singleValue\"/></metadata></update>");
        List<PollEntry> entries = service.poll(b);
        assertThat(entries).extracting(PollEntry::kind).containsExactly(PollEntry.Kind.searchResult,
                PollEntry.Kind.updateResult, PollEntry.Kind.updateResult);
    }

    @Test
    void subscriptionFollowsNewLinksAndReportsChangesBeyondThem() {
        ClientSession a = service.newSession("a", 0);
        ClientSession b = service.newSession("b", 0);
        subscribe(b, "s", "max-depth=\"2\" match-links=\"meta:authenticated-as\"", "<access-request name=\"ar\"/>");
        service.poll(b);
        publish(a, "<update><access-request name=\"ar\"/><identity name=\"u\" type=\"username\"/><metadata>"
                + "<meta:authenticated-as ifmap-cardinality=\"singleValue\"/></metadata></update>");
        publish(a, "<update><identity name=\"u\" type=\"username\"/><metadata>" + role("far") + "</metadata></update>");
        publish(a, "<update><access-request name=\"other\"/><metadata>" + role("unseen") + "</metadata></update>");
        List<PollEntry> entries = service.poll(b);
        assertThat(entries).hasSize(2).allMatch(e -> e.kind() == PollEntry.Kind.updateResult);
        assertThat(entries.get(1).items().values().iterator().next()).singleElement()
                .satisfies(m -> assertThat(m.xml()).contains("far"));
    }

    @Test
    void notifyReachesSubscribersButIsNotStored() {
        ClientSession a = service.newSession("a", 0);
        ClientSession b = service.newSession("b", 0);
        subscribe(b, "s", "", "<mac-address value=\"AA:BB:CC:DD:EE:FF\"/>");
        service.poll(b);
        publish(a, "<notify><mac-address value=\"aa:bb:cc:dd:ee:ff\"/><metadata>" + role("event") + "</metadata></notify>");
        assertThat(service.poll(b)).singleElement().satisfies(e -> assertThat(e.kind()).isEqualTo(PollEntry.Kind.notifyResult));
        Request.Search q = (Request.Search) parse("<ifmap:search IFNS session-id=\"x\"><mac-address value=\"aa:bb:cc:dd:ee:ff\"/></ifmap:search>");
        assertThat(service.search(a, q.spec()).items().values()).allMatch(List::isEmpty);
    }

    @Test
    void ownershipClaimMustNameTheCurrentGenerationAndAFailedClaimChangesNothing() {
        ClientSession a = service.newSession("gw-a", 0);
        ClientSession b = service.newSession("gw-b", 0);
        ClientSession c = service.newSession("gw-c", 0);
        publish(a, "<update><access-request name=\"s1\" administrative-domain=\"baton\"/><metadata>" + owner(1, "gw-a") + "</metadata></update>");
        publish(b, "<update><access-request name=\"s1\" administrative-domain=\"baton\"/><metadata>" + owner(2, "gw-b") + "</metadata></update>");
        assertThatThrownBy(() -> publish(c, "<update><access-request name=\"s1\" administrative-domain=\"baton\"/><metadata>" + role("sneaky")
                + "</metadata></update><update><access-request name=\"s1\" administrative-domain=\"baton\"/><metadata>" + owner(2, "gw-c")
                + "</metadata></update>")).isInstanceOfSatisfying(IfmapException.class, e -> {
                    assertThat(e.error()).isEqualTo(IfmapError.Failure);
                    assertThat(e.isOwnershipConflict()).isTrue();
                    assertThat(e.getMessage()).contains("generation 2, not 1");
                });
        Request.Search q = (Request.Search) parse("<ifmap:search IFNS session-id=\"x\"><access-request name=\"s1\" administrative-domain=\"baton\"/></ifmap:search>");
        assertThat(service.search(a, q.spec()).items().values().iterator().next()).singleElement()
                .satisfies(m -> assertThat(m.xml()).contains("gw-b"));
        assertThatThrownBy(() -> publish(c, "<update><access-request name=\"s1\" administrative-domain=\"baton\"/><metadata><baton:session-owner"
                + " ifmap-cardinality=\"singleValue\" generation=\"9\" expected-generation=\"2\" gateway=\"gw-c\"/>"
                + "</metadata></update>"))
                .isInstanceOfSatisfying(IfmapException.class, e -> assertThat(e.error()).isEqualTo(IfmapError.InvalidMetadata));
    }

    @Test
    void secondSessionOfTheSameClientEndsTheFirst() {
        ClientSession first = service.newSession("a", 0);
        service.newSession("a", 0);
        assertThatThrownBy(() -> service.session("a", first.id)).isInstanceOfSatisfying(IfmapException.class,
                e -> assertThat(e.error()).isEqualTo(IfmapError.InvalidSessionID));
        assertThatThrownBy(() -> service.session("b", service.newSession("a", 0).id))
                .as("a session id of another client is not valid for this one").isInstanceOf(IfmapException.class);
    }
}
