package dev.baton.bench;

import de.hshannover.f4.trust.ifmapj.IfmapJ;
import de.hshannover.f4.trust.ifmapj.channel.SSRC;
import de.hshannover.f4.trust.ifmapj.exception.IfmapErrorResult;
import de.hshannover.f4.trust.ifmapj.exception.IfmapException;

import java.security.cert.X509Certificate;

import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * ifmapj sessions for a benchmark. The servers under test run on loopback with self-signed certificates
 * made for the run, so the client trusts any certificate; never use this outside a benchmark. ifmapj
 * checks no host name unless the system property {@code ifmapj.communication.verifypeerhost} is
 * {@code true}.
 */
final class IfmapClients {
    private static final TrustManager[] TRUST_ALL = {new TrustAnyCertificate()};

    private IfmapClients() {
    }

    /** Opens a new IF-MAP session (SSRC) at {@code url} as {@code user}. */
    static SSRC newSession(String url, FederationUnderTest.Credentials user) throws IfmapException, IfmapErrorResult {
        SSRC ssrc = IfmapJ.createSsrc(url, user.user(), user.password(), TRUST_ALL);
        ssrc.newSession();
        return ssrc;
    }

    /** Accepts every server certificate: the benchmark's servers use throwaway self-signed ones. */
    private static final class TrustAnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Never asked: the benchmark is the client.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Trusted on purpose: loopback server with a certificate made for this run.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
