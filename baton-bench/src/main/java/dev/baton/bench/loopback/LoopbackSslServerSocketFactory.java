package dev.baton.bench.loopback;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocketFactory;

/**
 * The JDK's default TLS server socket factory, except that every socket it makes listens on the loopback
 * address whatever bind address the caller asked for. Instantiated by the JDK (see
 * {@link LoopbackLauncher}), so it keeps a public no-argument constructor. Thread safe.
 */
public final class LoopbackSslServerSocketFactory extends SSLServerSocketFactory {
    private static final int DEFAULT_BACKLOG = 50;

    private final SSLServerSocketFactory delegate;

    /**
     * Wraps the default {@link SSLContext}, which reads the {@code javax.net.ssl.keyStore*} properties the
     * server set before asking for a factory.
     */
    public LoopbackSslServerSocketFactory() throws NoSuchAlgorithmException {
        this.delegate = SSLContext.getDefault().getServerSocketFactory();
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        throw new IOException("unbound server sockets are refused: the bind address could not be forced to loopback");
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return delegate.createServerSocket(port, DEFAULT_BACKLOG, InetAddress.getLoopbackAddress());
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return delegate.createServerSocket(port, backlog, InetAddress.getLoopbackAddress());
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress ignoredAddress) throws IOException {
        return delegate.createServerSocket(port, backlog, InetAddress.getLoopbackAddress());
    }
}
