package dev.baton.ifmap.server;

import de.hshannover.f4.trust.ifmapj.IfmapJ;
import de.hshannover.f4.trust.ifmapj.channel.SSRC;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Starting federation servers on loopback and third-party clients that trust exactly their certificate. */
public final class TestServers {
    public static final Map<String, String> USERS = Map.ofEntries(Map.entry("alice", "alice-pw"),
            Map.entry("bob", "bob-pw"), Map.entry("carol", "carol-pw"), Map.entry("reader", "reader-pw"),
            Map.entry("auditor", "auditor-pw"), Map.entry("admin", "admin-pw"), Map.entry("gw-a", "gw-a-pw"),
            Map.entry("gw-b", "gw-b-pw"), Map.entry("gw-c", "gw-c-pw"), Map.entry("gw-d", "gw-d-pw"),
            Map.entry("gw-e", "gw-e-pw"));
    /** The users that are gateways in {@link #builder}'s policy; alice, bob and carol are standard publishers. */
    public static final java.util.List<String> GATEWAYS = java.util.List.of("gw-a", "gw-b", "gw-c", "gw-d", "gw-e");

    private TestServers() {
    }

    /** A builder for a server on a free loopback port with the test users, data in {@code dir}. */
    public static IfmapServerConfig.Builder builder(Path dir) {
        return IfmapServer.builder().listen("127.0.0.1", 0).users(BasicAuthUsers.of(USERS)).dataDirectory(dir)
                .rights("reader", PublisherRights.READER).rights("auditor", PublisherRights.AUDITOR)
                .rights("admin", PublisherRights.ADMIN).gateways(GATEWAYS);
    }

    /**
     * Compacts the replicas' shared log through {@code replica} now; returns the log position through which
     * rows were deleted, or -1 when another replica held the compaction lock.
     */
    public static long compactReplicaLog(IfmapServer replica) {
        ReplicationCompactor.Compaction c = replica.compactReplicaLog();
        return c.ran() ? c.truncatedThrough() : -1;
    }

    /** Runs {@code action} while {@code replica} applies no replicated change (a stalled replica). */
    public static <T> T whileReplicaPaused(IfmapServer replica, java.util.concurrent.Callable<T> action)
            throws Exception {
        return replica.whileReplicaPaused(action);
    }

    /**
     * The whole graph of {@code server}, one line per metadata element (id, item, publisher, lifetime,
     * cardinality, XML), oldest first: equal lists mean equal graphs.
     */
    public static java.util.List<String> graph(IfmapServer server) {
        return server.graphSnapshot().stream().map(s -> s.metadata().id() + " " + s.item().first().toXml()
                + (s.item().isLink() ? " -- " + s.item().second().toXml() : "") + " by " + s.metadata().publisherId()
                + " " + s.metadata().lifetime() + " " + s.metadata().cardinality() + " " + s.metadata().xml())
                .toList();
    }

    /**
     * Publishes session-lifetime metadata (a {@code meta:role} named {@code role} on access-request {@code ar})
     * through a new raw SOAP session of {@code user}, which stays open; returns the response.
     */
    public static String publishSessionMetadata(IfmapServer server, String user, String ar, String role)
            throws Exception {
        RawSoap soap = new RawSoap(server, user);
        String sid = soap.newSession();
        return soap.request("<ifmap:publish session-id=\"" + sid + "\"><update lifetime=\"session\">"
                + "<access-request name=\"" + ar + "\"/><metadata><meta:role ifmap-cardinality=\"multiValue\">"
                + "<name>" + role + "</name></meta:role></metadata></update></ifmap:publish>");
    }

    /** Trust managers that trust only {@code cert}. */
    public static TrustManager[] trusting(X509Certificate cert) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("server", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSL context that trusts only {@code cert}. */
    public static SSLContext sslContext(X509Certificate cert) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trusting(cert), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An ifmapj SSRC for {@code user} against {@code server}. */
    @SuppressWarnings("deprecation") // the non-deprecated form needs a truststore file
    public static SSRC ifmapj(IfmapServer server, String user) throws Exception {
        return IfmapJ.createSsrc(server.url(), user, USERS.get(user), trusting(server.certificate()));
    }
}
