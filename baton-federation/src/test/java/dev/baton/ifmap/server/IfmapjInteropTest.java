package dev.baton.ifmap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.hshannover.f4.trust.ifmapj.IfmapJ;
import de.hshannover.f4.trust.ifmapj.channel.ARC;
import de.hshannover.f4.trust.ifmapj.channel.SSRC;
import de.hshannover.f4.trust.ifmapj.exception.IfmapErrorCode;
import de.hshannover.f4.trust.ifmapj.exception.IfmapErrorResult;
import de.hshannover.f4.trust.ifmapj.identifier.AccessRequest;
import de.hshannover.f4.trust.ifmapj.identifier.Identifiers;
import de.hshannover.f4.trust.ifmapj.identifier.Identity;
import de.hshannover.f4.trust.ifmapj.identifier.IdentityType;
import de.hshannover.f4.trust.ifmapj.identifier.IpAddress;
import de.hshannover.f4.trust.ifmapj.messages.MetadataLifetime;
import de.hshannover.f4.trust.ifmapj.messages.PollResult;
import de.hshannover.f4.trust.ifmapj.messages.PublishDelete;
import de.hshannover.f4.trust.ifmapj.messages.PublishRequest;
import de.hshannover.f4.trust.ifmapj.messages.Requests;
import de.hshannover.f4.trust.ifmapj.messages.ResultItem;
import de.hshannover.f4.trust.ifmapj.messages.SearchRequest;
import de.hshannover.f4.trust.ifmapj.messages.SearchResult;
import de.hshannover.f4.trust.ifmapj.messages.SubscribeRequest;
import de.hshannover.f4.trust.ifmapj.metadata.StandardIfmapMetadataFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Drives Baton's federation server with ifmapj, a third-party IF-MAP 2.x client, through every operation.
 * ifmapj 2.3.2 deprecates its trust-manager factory method and the typed poll-result getters in favour of
 * a truststore file and a type switch; the deprecated forms are what most deployed clients call.
 */
@SuppressWarnings("deprecation")
class IfmapjInteropTest {
    private static final StandardIfmapMetadataFactory META = IfmapJ.createStandardMetadataFactory();
    @TempDir
    static Path dir;
    static IfmapServer server;

    @BeforeAll
    static void start() {
        server = TestServers.builder(dir).inMemoryOnly().build().start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static SSRC session(String user) throws Exception {
        SSRC ssrc = TestServers.ifmapj(server, user);
        ssrc.newSession();
        return ssrc;
    }

    private static AccessRequest freshAr() {
        return Identifiers.createAr("ar-" + UUID.randomUUID());
    }

    private static SearchResult search(SSRC ssrc, AccessRequest start, int depth, String matchLinks, String filter)
            throws Exception {
        SearchRequest req = Requests.createSearchReq(matchLinks, depth, null, null, filter, start);
        return ssrc.search(req);
    }

    private static List<String> localNames(SearchResult r) {
        List<String> names = new ArrayList<>();
        for (ResultItem item : r.getResultItems()) {
            for (Document d : item.getMetadata()) {
                names.add(d.getDocumentElement().getLocalName());
            }
        }
        return names;
    }

    @Test
    void newSessionGivesSessionIdPublisherIdAndMaxPollResultSize() throws Exception {
        SSRC ssrc = TestServers.ifmapj(server, "carol");
        ssrc.newSession(4096);
        assertThat(ssrc.getSessionId()).isNotBlank();
        assertThat(ssrc.getPublisherId()).isEqualTo("carol");
        assertThat(ssrc.getMaxPollResSize()).isEqualTo(4096);
        ssrc.renewSession();
        ssrc.endSession();
    }

    @Test
    void publishedRoleIsFoundBySearchWithPublisherStamped() throws Exception {
        SSRC alice = session("alice");
        AccessRequest ar = freshAr();
        alice.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("employee"))));
        SearchResult r = search(alice, ar, 0, null, null);
        assertThat(r.getResultItems()).hasSize(1);
        Document role = r.getResultItems().get(0).getMetadata().get(0);
        assertThat(role.getDocumentElement().getAttribute("ifmap-publisher-id")).isEqualTo("alice");
        assertThat(role.getDocumentElement().getAttribute("ifmap-timestamp")).isNotBlank();
        assertThat(role.getDocumentElement().getTextContent()).contains("employee");
    }

    @Test
    void searchFollowsOnlyMatchingLinksUpToMaxDepthAndFiltersResults() throws Exception {
        SSRC alice = session("alice");
        AccessRequest ar = freshAr();
        Identity user = Identifiers.createIdentity(IdentityType.userName, "u-" + UUID.randomUUID());
        IpAddress ip = Identifiers.createIp4("10.1.2.3");
        PublishRequest pub = Requests.createPublishReq();
        pub.addPublishElement(Requests.createPublishUpdate(ar, user, META.createAuthAs()));
        pub.addPublishElement(Requests.createPublishUpdate(ar, ip, META.createArIp()));
        pub.addPublishElement(Requests.createPublishUpdate(ar, META.createRole("staff")));
        pub.addPublishElement(Requests.createPublishUpdate(user, META.createCapability("vpn")));
        alice.publish(pub);

        assertThat(localNames(search(alice, ar, 0, null, null))).containsExactly("role");
        assertThat(localNames(search(alice, ar, 1, null, null)))
                .containsExactlyInAnyOrder("role", "authenticated-as", "access-request-ip", "capability");
        assertThat(localNames(search(alice, ar, 1, "meta:authenticated-as", null)))
                .containsExactlyInAnyOrder("role", "authenticated-as", "capability");
        assertThat(localNames(search(alice, ar, 1, "meta:authenticated-as", "meta:capability or meta:role")))
                .containsExactlyInAnyOrder("role", "capability");
        assertThat(localNames(search(alice, ar, 1, null,
                "meta:role[@ifmap-publisher-id='alice'] | meta:access-request-ip")))
                .containsExactlyInAnyOrder("role", "access-request-ip");
    }

    @Test
    void terminalIdentifierTypeStopsTraversal() throws Exception {
        SSRC alice = session("alice");
        AccessRequest ar = freshAr();
        Identity user = Identifiers.createIdentity(IdentityType.userName, "t-" + UUID.randomUUID());
        PublishRequest pub = Requests.createPublishReq();
        pub.addPublishElement(Requests.createPublishUpdate(ar, user, META.createAuthAs()));
        pub.addPublishElement(Requests.createPublishUpdate(user, Identifiers.createDev("dev-" + UUID.randomUUID()),
                META.createDevAttr("x")));
        alice.publish(pub);
        SearchRequest req = Requests.createSearchReq(null, 3, "identity", null, null, ar);
        assertThat(localNames(alice.search(req))).containsExactly("authenticated-as");
        req = Requests.createSearchReq(null, 3, null, null, null, ar);
        assertThat(localNames(alice.search(req))).containsExactlyInAnyOrder("authenticated-as", "device-attribute");
    }

    @Test
    void singleValueUpdateReplacesOnlyWithTheRightToDoSoAndMultiValueAccumulates() throws Exception {
        SSRC alice = session("alice");
        SSRC bob = session("bob");
        SSRC admin = session("admin");
        AccessRequest ar = freshAr();
        Identity user = Identifiers.createIdentity(IdentityType.userName, "s-" + UUID.randomUUID());
        alice.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, user, META.createAuthAs())));
        alice.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, user, META.createAuthAs()))); // its own
        // Replacing alice's singleValue would delete what she published: bob may not, an admin may.
        assertThatThrownBy(() -> bob.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, user,
                META.createAuthAs())))).isInstanceOfSatisfying(IfmapErrorResult.class,
                e -> assertThat(e.getErrorCode().toString()).isEqualTo("AccessDenied"));
        admin.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, user, META.createAuthAs())));
        alice.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("a"))));
        bob.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("b"))));
        SearchResult r = search(alice, ar, 1, null, "meta:authenticated-as");
        List<String> publishers = new ArrayList<>();
        r.getResultItems().forEach(i -> i.getMetadata().forEach(d ->
                publishers.add(d.getDocumentElement().getAttribute("ifmap-publisher-id"))));
        assertThat(publishers).containsExactly("admin");
        assertThat(localNames(search(alice, ar, 0, null, "meta:role"))).hasSize(2);
    }

    @Test
    void deleteRemovesOnlyTheDeletingClientsOwnMetadata() throws Exception {
        SSRC alice = session("alice");
        SSRC bob = session("bob");
        AccessRequest ar = freshAr();
        alice.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("a"))));
        bob.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("b"))));
        PublishDelete del = Requests.createPublishDelete(ar, "meta:role[@ifmap-publisher-id='alice']");
        del.addNamespaceDeclaration("meta", "http://www.trustedcomputinggroup.org/2010/IFMAP-METADATA/2");
        alice.publish(Requests.createPublishReq(del));
        SearchResult r = search(alice, ar, 0, null, null);
        assertThat(r.getResultItems().get(0).getMetadata()).singleElement()
                .satisfies(d -> assertThat(d.getDocumentElement().getAttribute("ifmap-publisher-id")).isEqualTo("bob"));
        bob.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("b2"))));
        // Without a filter, a client's delete still removes only what it published: bob's roles stay.
        alice.publish(Requests.createPublishReq(Requests.createPublishDelete(ar)));
        assertThat(localNames(search(alice, ar, 0, null, null))).hasSize(2);
        bob.publish(Requests.createPublishReq(Requests.createPublishDelete(ar)));
        assertThat(localNames(search(alice, ar, 0, null, null))).isEmpty();
    }

    @Test
    void sessionMetadataGoesWithItsSessionAndForeverMetadataStays() throws Exception {
        SSRC carol = session("carol");
        AccessRequest ar = freshAr();
        carol.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("temp"))));
        carol.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("kept"),
                MetadataLifetime.forever)));
        carol.endSession();
        SSRC alice = session("alice");
        List<String> roles = new ArrayList<>();
        search(alice, ar, 0, null, null).getResultItems().forEach(i -> i.getMetadata()
                .forEach(d -> roles.add(d.getDocumentElement().getTextContent().strip())));
        assertThat(roles).containsExactly("kept");
    }

    @Test
    void subscriberPollsSearchResultThenUpdatesDeletesAndNotifies() throws Exception {
        SSRC bob = session("bob");
        SSRC alice = session("alice");
        AccessRequest ar = freshAr();
        alice.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("first"))));
        SubscribeRequest sub = Requests.createSubscribeReq(Requests.createSubscribeUpdate("watch", null, 1, null,
                null, null, ar));
        bob.subscribe(sub);
        ARC arc = bob.getArc();
        PollResult first = arc.poll();
        assertThat(first.getSearchResults()).singleElement().satisfies(r -> assertThat(r.getName()).isEqualTo("watch"));
        assertThat(localNames(first.getSearchResults().iterator().next())).containsExactly("role");

        alice.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("second"))));
        PollResult update = arc.poll();
        assertThat(update.getUpdateResults()).singleElement().satisfies(r -> assertThat(localNames(r)).containsExactly("role"));

        alice.publish(Requests.createPublishReq(Requests.createPublishDelete(ar)));
        PollResult delete = arc.poll();
        assertThat(delete.getDeleteResults()).singleElement()
                .satisfies(r -> assertThat(localNames(r)).containsExactly("role", "role"));

        alice.publish(Requests.createPublishReq(Requests.createPublishNotify(ar, META.createCapability("seen"))));
        PollResult notify = arc.poll();
        assertThat(notify.getNotifyResults()).singleElement()
                .satisfies(r -> assertThat(localNames(r)).containsExactly("capability"));
        assertThat(localNames(search(alice, ar, 0, null, null))).isEmpty();

        bob.subscribe(Requests.createSubscribeReq(Requests.createSubscribeDelete("watch")));
        bob.endSession();
    }

    @Test
    void waitingPollIsAnsweredWhenASubscribedChangeHappens() throws Exception {
        SSRC bob = session("bob");
        SSRC alice = session("alice");
        AccessRequest ar = freshAr();
        bob.subscribe(Requests.createSubscribeReq(Requests.createSubscribeUpdate("wait", null, 0, null, null, null, ar)));
        ARC arc = bob.getArc();
        arc.poll(); // the initial searchResult
        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return arc.poll();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        Thread.sleep(300); // let the poll reach the server and block there
        assertThat(waiting).isNotDone();
        alice.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("now"))));
        PollResult r = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.getUpdateResults()).singleElement().satisfies(u -> assertThat(u.getName()).isEqualTo("wait"));
    }

    @Test
    void pollResultsTooBigEndsTheSubscriptionWithAnErrorResult() throws Exception {
        SSRC bob = TestServers.ifmapj(server, "bob");
        bob.newSession(2000);
        SSRC alice = session("alice");
        AccessRequest ar = freshAr();
        bob.subscribe(Requests.createSubscribeReq(Requests.createSubscribeUpdate("big", null, 0, null, null, null, ar)));
        for (int i = 0; i < 20; i++) {
            alice.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("role-" + i))));
        }
        PollResult r = bob.getArc().poll();
        List<IfmapErrorResult> errors = new ArrayList<>(r.getErrorResults());
        assertThat(errors).isNotEmpty();
        assertThat(errors.get(errors.size() - 1).getErrorCode()).isEqualTo(IfmapErrorCode.PollResultsTooBig);
        assertThat(errors.get(errors.size() - 1).getName()).isEqualTo("big");
    }

    @Test
    void searchPastMaxSizeGetsSearchResultsTooBig() throws Exception {
        SSRC alice = session("alice");
        AccessRequest ar = freshAr();
        alice.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("r"))));
        SearchRequest req = Requests.createSearchReq(null, 0, null, 50, null, ar);
        assertThatThrownBy(() -> alice.search(req)).isInstanceOfSatisfying(IfmapErrorResult.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(IfmapErrorCode.SearchResultsTooBig));
    }

    @Test
    void unknownSessionIdGetsInvalidSessionId() throws Exception {
        SSRC alice = session("alice");
        alice.setSessionId("not-a-session");
        assertThatThrownBy(() -> alice.publish(Requests.createPublishReq(Requests.createPublishUpdate(freshAr(),
                META.createRole("x"))))).isInstanceOfSatisfying(IfmapErrorResult.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(IfmapErrorCode.InvalidSessionID));
    }

    @Test
    void readOnlyClientMayNotPublishAndNoClientMayPurgeAnother() throws Exception {
        SSRC reader = session("reader");
        assertThatThrownBy(() -> reader.publish(Requests.createPublishReq(Requests.createPublishUpdate(freshAr(),
                META.createRole("x"))))).isInstanceOfSatisfying(IfmapErrorResult.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(IfmapErrorCode.AccessDenied));
        SSRC carol = session("carol");
        assertThatThrownBy(() -> carol.purgePublisher("alice")).isInstanceOfSatisfying(IfmapErrorResult.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(IfmapErrorCode.AccessDenied));
    }

    @Test
    void purgePublisherRemovesEveryMetadataOfThatPublisher() throws Exception {
        SSRC carol = session("carol");
        AccessRequest ar = freshAr();
        carol.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("p"),
                MetadataLifetime.forever)));
        carol.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("q"))));
        SSRC admin = session("admin");
        admin.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("admin"))));
        carol.purgePublisher();
        assertThat(localNames(search(admin, ar, 0, null, null))).containsExactly("role");
        carol.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, META.createRole("again"))));
        admin.purgePublisher("carol");
        assertThat(localNames(search(admin, ar, 0, null, null))).containsExactly("role");
    }

    private static Document vendorMetadata(String cardinality, int textLength) throws Exception {
        var f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().newDocument();
        var root = doc.createElementNS("urn:acme:posture", "acme:posture");
        if (cardinality != null) {
            root.setAttributeNS(null, "ifmap-cardinality", cardinality);
        }
        root.setTextContent("x".repeat(textLength));
        doc.appendChild(root);
        return doc;
    }

    private static void assertPublishFails(SSRC ssrc, de.hshannover.f4.trust.ifmapj.identifier.Identifier id,
                                           Document metadata, IfmapErrorCode code) {
        assertThatThrownBy(() -> ssrc.publish(Requests.createPublishReq(Requests.createPublishUpdate(id, metadata))))
                .isInstanceOfSatisfying(IfmapErrorResult.class, e -> assertThat(e.getErrorCode()).isEqualTo(code));
    }

    @Test
    void badIdentifiersAndMetadataGetTheirErrorCodesThroughIfmapj() throws Exception {
        SSRC alice = session("alice");
        assertPublishFails(alice, Identifiers.createIp4("999.1.1.1"), META.createRole("r"),
                IfmapErrorCode.InvalidIdentifier);
        assertPublishFails(alice, Identifiers.createAr("n".repeat(3000)), META.createRole("r"),
                IfmapErrorCode.IdentifierTooLong);
        assertPublishFails(alice, freshAr(), vendorMetadata(null, 1), IfmapErrorCode.InvalidMetadata);
        assertPublishFails(alice, freshAr(), vendorMetadata("multiValue", 70_000), IfmapErrorCode.MetadataTooLong);
        AccessRequest ar = freshAr();
        alice.publish(Requests.createPublishReq(Requests.createPublishUpdate(ar, vendorMetadata("singleValue", 5))));
        assertThat(search(alice, ar, 0, null, null).getResultItems().get(0).getMetadata()).singleElement()
                .satisfies(d -> assertThat(d.getDocumentElement().getNamespaceURI()).isEqualTo("urn:acme:posture"));
    }

    @Test
    void wrongPasswordIsRejected() throws Exception {
        SSRC intruder = IfmapJ.createSsrc(server.url(), "alice", "wrong", TestServers.trusting(server.certificate()));
        assertThatThrownBy(intruder::newSession).isInstanceOf(Exception.class)
                .isNotInstanceOf(IfmapErrorResult.class);
    }
}
