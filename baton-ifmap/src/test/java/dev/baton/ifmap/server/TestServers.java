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
    public static final Map<String, String> USERS = Map.of("alice", "alice-pw", "bob", "bob-pw", "carol", "carol-pw",
            "reader", "reader-pw", "admin", "admin-pw");

    private TestServers() {
    }

    /** A builder for a server on a free loopback port with the test users, data in {@code dir}. */
    public static IfmapServerConfig.Builder builder(Path dir) {
        return IfmapServer.builder().listen("127.0.0.1", 0).users(BasicAuthUsers.of(USERS)).dataDirectory(dir)
                .rights("reader", PublisherRights.READ_ONLY).rights("admin", PublisherRights.ADMIN);
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
