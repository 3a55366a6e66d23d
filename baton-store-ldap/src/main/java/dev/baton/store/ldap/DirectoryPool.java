package dev.baton.store.ldap;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;

/**
 * Opens the session store's connection pool: failover between the configured servers in order (a connection
 * opened on a later server is retired after five minutes, so the pool drifts back to the first one when it
 * returns), protected as {@link LdapTls} says. With TLS the certificate must chain to the truststore and name
 * the host dialled; for StartTLS the upgrade happens on every new connection before the bind, so the password
 * never travels in clear.
 */
final class DirectoryPool {
    private static final long FAILOVER_CONNECTION_MAX_AGE_MILLIS = 300_000;

    private DirectoryPool() {
    }

    /**
     * Opens the pool with one connection, so an unreachable directory, a refused certificate or wrong
     * credentials show at once.
     *
     * @throws BatonException {@code UNAVAILABLE} if no server answers; {@code CONFIGURATION} for an unreadable
     *                        truststore, a certificate the truststore does not accept, or wrong credentials
     */
    static LDAPConnectionPool open(LdapStoreSettings settings) {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) settings.connectTimeout().toMillis());
        options.setResponseTimeoutMillis(settings.responseTimeout().toMillis());
        options.setUseSynchronousMode(true);
        // Checked after every handshake, LDAPS and StartTLS alike: the certificate must name the host dialled.
        options.setSSLSocketVerifier(new HostNameCheck());
        String[] hosts = settings.servers().stream().map(LdapStoreSettings.Server::host).toArray(String[]::new);
        int[] ports = settings.servers().stream().mapToInt(LdapStoreSettings.Server::port).toArray();
        LdapTls tls = settings.tls();
        SSLUtil ssl = tls.mode() == LdapTls.Mode.NONE ? null : new SSLUtil(trustManager(tls));
        BindRequest bind = new SimpleBindRequest(settings.bindDn(), settings.password());
        try {
            FailoverServerSet servers = tls.mode() == LdapTls.Mode.LDAPS
                    ? new FailoverServerSet(hosts, ports, ssl.createSSLSocketFactory(), options)
                    : new FailoverServerSet(hosts, ports, options);
            servers.setMaxFailoverConnectionAgeMillis(FAILOVER_CONNECTION_MAX_AGE_MILLIS);
            PostConnectProcessor startTls = tls.mode() == LdapTls.Mode.STARTTLS
                    ? new StartTLSPostConnectProcessor(ssl.createSSLContext()) : null;
            LDAPConnectionPool pool = new LDAPConnectionPool(servers, bind, 1, settings.poolSize(), startTls);
            pool.setRetryFailedOperationsDueToInvalidConnections(true);
            pool.setConnectionPoolName("baton-session-store");
            return pool;
        } catch (GeneralSecurityException e) {
            throw LdapStoreSettings.config("truststore", "cannot set up TLS: " + e.getMessage());
        } catch (LDAPException e) {
            BatonException failure = LdapFailures.translate("connecting to " + settings.servers() + " (" + tls.mode() + ")", e);
            // At start a TLS failure is a setting to fix (truststore, host name, tls mode), not an outage.
            if (LdapFailures.isTlsFailure(e)) {
                throw new BatonException(ResultCode.CONFIGURATION, failure.getMessage(), e);
            }
            if (tls.mode() == LdapTls.Mode.STARTTLS && refusedStartTls(e)) {
                throw new BatonException(ResultCode.CONFIGURATION, failure.getMessage() + " (did the directory refuse StartTLS?"
                        + " Enable it there, or use store.ldap.tls: ldaps on its LDAPS port)", e);
            }
            throw failure;
        }
    }

    private static boolean refusedStartTls(LDAPException e) {
        com.unboundid.ldap.sdk.ResultCode rc = e.getResultCode();
        return rc == com.unboundid.ldap.sdk.ResultCode.UNWILLING_TO_PERFORM || rc == com.unboundid.ldap.sdk.ResultCode.PROTOCOL_ERROR
                || rc == com.unboundid.ldap.sdk.ResultCode.UNAVAILABLE_CRITICAL_EXTENSION;
    }

    /**
     * The JVM's default trust manager, or one over the configured PKCS#12 truststore. The file is read once
     * here, so a wrong password or an empty truststore is reported as such instead of as a refused certificate.
     */
    private static X509TrustManager trustManager(LdapTls tls) {
        if (tls.truststore() == null) {
            return JVMDefaultTrustManager.getInstance();
        }
        Path file = tls.truststore();
        char[] password = tls.truststorePassword() == null || tls.truststorePassword().isEmpty()
                ? null : tls.truststorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            boolean anyCertificate = false;
            for (String alias : Collections.list(store.aliases())) {
                anyCertificate |= store.isCertificateEntry(alias) || store.getCertificate(alias) != null;
            }
            if (!anyCertificate) {
                throw LdapStoreSettings.config("truststore", file + " holds no certificate, so no directory would be trusted");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new BatonException(ResultCode.CONFIGURATION, LdapStoreSettings.PREFIX + "truststore: cannot read " + file
                    + " as PKCS#12 (wrong store.ldap.truststorePassword?): " + e.getMessage(), e);
        }
        return new TrustStoreTrustManager(file.toFile(), password, "PKCS12", true);
    }

    /**
     * The SDK's host name check (DNS and IP subject alternative names, wildcards; it lets any name pass for a
     * numeric loopback address), with its failure carrying an {@link SSLPeerUnverifiedException} so that
     * {@link LdapFailures#isTlsFailure} knows it for what it is.
     */
    private static final class HostNameCheck extends SSLSocketVerifier {
        private final HostNameSSLSocketVerifier names = new HostNameSSLSocketVerifier(true);

        @Override
        public void verifySSLSocket(String host, int port, SSLSocket socket) throws LDAPException {
            try {
                names.verifySSLSocket(host, port, socket);
            } catch (LDAPException e) {
                SSLPeerUnverifiedException cause = new SSLPeerUnverifiedException(e.getMessage());
                cause.initCause(e);
                throw new LDAPException(e.getResultCode(), e.getMessage(), cause);
            }
        }
    }
}
