package dev.baton.store.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import javax.net.ssl.SSLSocketFactory;
import java.util.logging.LogRecord;

/**
 * Throwaway certificates and in-memory directories that speak LDAPS or StartTLS with them. Certificates are
 * made by the LDAP SDK's own {@code manage-certificates} tool, so the tests need no other library.
 */
final class TlsDirectories {
    /** The password of every keystore and truststore made here. */
    static final String PASSWORD = "changeit";

    private TlsDirectories() {
    }

    /**
     * A self-signed certificate: its key in {@code keystore} (alias {@code server}), the certificate alone in
     * {@code truststore}, both PKCS#12 with {@link #PASSWORD}.
     */
    record Certificate(Path keystore, Path truststore) {
    }

    /** A self-signed certificate for {@code localhost} and {@code 127.0.0.1}. */
    static Certificate forLoopback(Path dir, String name) {
        return certificate(dir, name, "localhost", "127.0.0.1");
    }

    /** A self-signed certificate naming only the DNS name {@code dnsName}, and the IP address {@code ip} if not null. */
    static Certificate certificate(Path dir, String name, String dnsName, String ip) {
        Path keystore = dir.resolve(name + "-key.p12");
        Path truststore = dir.resolve(name + "-trust.p12");
        List<String> args = new ArrayList<>(List.of("generate-self-signed-certificate", "--keystore", keystore.toString(),
                "--keystore-password", PASSWORD, "--keystore-type", "PKCS12", "--alias", "server",
                "--subject-dn", "CN=" + dnsName, "--subject-alternative-name-dns", dnsName,
                "--key-algorithm", "EC", "--key-size-bits", "256", "--signature-algorithm", "SHA256withECDSA",
                "--days-valid", "2"));
        if (ip != null) {
            args.addAll(List.of("--subject-alternative-name-ip-address", ip));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        com.unboundid.ldap.sdk.ResultCode rc = com.unboundid.util.ssl.cert.ManageCertificates.main(
                InputStream.nullInputStream(), out, out, args.toArray(String[]::new));
        if (rc != com.unboundid.ldap.sdk.ResultCode.SUCCESS) {
            throw new IllegalStateException("manage-certificates failed: " + out);
        }
        try (InputStream in = Files.newInputStream(keystore); OutputStream trustOut = Files.newOutputStream(truststore)) {
            KeyStore key = KeyStore.getInstance("PKCS12");
            key.load(in, PASSWORD.toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("directory", key.getCertificate("server"));
            trust.store(trustOut, PASSWORD.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the truststore " + truststore, e);
        }
        return new Certificate(keystore, truststore);
    }

    /** An in-memory directory on a loopback port that speaks LDAPS only, presenting {@code certificate}. */
    static InMemoryDirectoryServer startLdaps(Certificate certificate) {
        try {
            SSLUtil server = serverSsl(certificate);
            return LdapStoreTesting.startInMemory(InMemoryListenerConfig.createLDAPSConfig("ldaps",
                    InetAddress.getLoopbackAddress(), 0, server.createSSLServerSocketFactory(), null), null);
        } catch (LDAPException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start an LDAPS directory", e);
        }
    }

    /**
     * An in-memory directory on a loopback port that speaks plain LDAP and offers StartTLS with
     * {@code certificate}; its access log goes to {@code accessLog} (may be null).
     */
    static InMemoryDirectoryServer startStartTls(Certificate certificate, AccessLog accessLog) {
        try {
            SSLSocketFactory tls = serverSsl(certificate).createSSLSocketFactory();
            return LdapStoreTesting.startInMemory(InMemoryListenerConfig.createLDAPConfig("ldap",
                    InetAddress.getLoopbackAddress(), 0, accessLog == null ? tls : accessLog.recording(tls)), accessLog);
        } catch (LDAPException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start a StartTLS directory", e);
        }
    }

    private static SSLUtil serverSsl(Certificate certificate) throws GeneralSecurityException {
        // The server side asks for no client certificate, so what it would trust does not matter.
        return new SSLUtil(new KeyStoreKeyManager(certificate.keystore().toFile(), PASSWORD.toCharArray(), "PKCS12", "server"),
                new TrustAllTrustManager());
    }

    /**
     * Collects a directory's access log lines, and a {@link #START_TLS} line where a connection is upgraded (the
     * in-memory server answers StartTLS before its access log sees the request). Thread-safe.
     */
    static final class AccessLog extends Handler {
        /** The line written when the server upgrades a connection to TLS. */
        static final String START_TLS = "STARTTLS upgrade";
        private final List<String> lines = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        /** {@code factory}, writing a {@link #START_TLS} line each time it wraps a plain connection in TLS. */
        SSLSocketFactory recording(SSLSocketFactory factory) {
            return new SSLSocketFactory() {
                @Override
                public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
                    synchronized (AccessLog.this) {
                        lines.add(START_TLS);
                    }
                    return factory.createSocket(plain, host, port, autoClose);
                }

                @Override
                public String[] getDefaultCipherSuites() {
                    return factory.getDefaultCipherSuites();
                }

                @Override
                public String[] getSupportedCipherSuites() {
                    return factory.getSupportedCipherSuites();
                }

                @Override
                public Socket createSocket(String host, int port) throws IOException {
                    return factory.createSocket(host, port);
                }

                @Override
                public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                    return factory.createSocket(host, port, local, localPort);
                }

                @Override
                public Socket createSocket(InetAddress host, int port) throws IOException {
                    return factory.createSocket(host, port);
                }

                @Override
                public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
                    return factory.createSocket(host, port, local, localPort);
                }
            };
        }

        /** The lines so far. */
        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
