package dev.baton.agent;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

/** How the agent trusts gateways' certificates. */
public final class AgentTls {
    private AgentTls() {
    }

    /** Trusts the certificates in a PKCS#12 truststore. */
    public static SSLContext truststore(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new BatonException(ResultCode.CONFIGURATION, "cannot load truststore " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Trusts any certificate. Only for self-signed embedded defaults on loopback: it gives up protection
     * against an impostor gateway (proof of possession still keeps a session from being taken with its id alone).
     */
    public static SSLContext trustAll() {
        return trustAll(null);
    }

    /** {@link #trustAll()}, presenting the client certificate of {@code keyManagers} ({@code null}: none). */
    public static SSLContext trustAll(javax.net.ssl.KeyManager[] keyManagers) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("TLS is unavailable in this JDK", e);
        }
    }
}
