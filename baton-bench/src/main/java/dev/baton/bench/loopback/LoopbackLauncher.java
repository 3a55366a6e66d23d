package dev.baton.bench.loopback;

import java.lang.reflect.InvocationTargetException;
import java.security.Security;
import java.util.Arrays;

/**
 * Runs another program's {@code main} with every listening TLS socket bound to loopback.
 *
 * <p>Used to start irond: it opens its ports with {@code SSLServerSocketFactory.getDefault()
 * .createServerSocket(port)}, which listens on all interfaces and has no setting for a bind address.
 * The JDK lets the security property {@code ssl.ServerSocketFactory.provider} name the class that
 * {@code getDefault()} returns, so this launcher names {@link LoopbackSslServerSocketFactory} and then
 * calls the real main. The peer's code is not changed.
 *
 * <p>Usage: {@code java -cp PEER.jar:BENCH LoopbackLauncher MAIN_CLASS [ARGS...]}.
 */
public final class LoopbackLauncher {
    private LoopbackLauncher() {
    }

    /** Installs the loopback factory, then runs {@code args[0]}'s main with the remaining arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: LoopbackLauncher MAIN_CLASS [ARGS...]");
        }
        Security.setProperty("ssl.ServerSocketFactory.provider", LoopbackSslServerSocketFactory.class.getName());
        Class<?> mainClass = Class.forName(args[0]);
        try {
            mainClass.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
