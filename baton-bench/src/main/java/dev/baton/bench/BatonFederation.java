package dev.baton.bench;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts Baton's own IF-MAP federation server ({@code dev.baton.ifmap.server.IfmapServer} of module
 * {@code baton-ifmap}) in this process, on {@code 127.0.0.1} and a free port, with its generated
 * self-signed certificate, forever-metadata kept in memory only, and the benchmark's two users.
 *
 * <p>The server is reached through its public builder by reflection because {@code baton-bench} is also
 * built where {@code baton-ifmap} is not part of the build; then {@link #start} reports
 * {@value #UNAVAILABLE} and the benchmark measures the peer alone. When the server's class is present but
 * its builder does not match, starting fails loudly rather than reporting it absent.
 */
final class BatonFederation implements FederationUnderTest {
    static final String UNAVAILABLE = "baton federation server not available in this build";
    static final String SERVER_CLASS = "dev.baton.ifmap.server.IfmapServer";
    static final String USERS_CLASS = "dev.baton.ifmap.server.BasicAuthUsers";

    private final AutoCloseable server;
    private final String url;
    private final Path dataDirectory;

    private BatonFederation(AutoCloseable server, String url, Path dataDirectory) {
        this.server = server;
        this.url = url;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts Baton's federation server on loopback, or tells {@code absentReason} that this build has
     * none.
     *
     * @return the running server, or empty when this build has none
     * @throws BatonException ({@link ResultCode#INTERNAL}) when the server is present but cannot be started
     */
    static Optional<FederationUnderTest> start(Consumer<String> absentReason) {
        return start(SERVER_CLASS, absentReason);
    }

    /** {@link #start(Consumer)} with the server looked up as {@code serverClassName}. */
    static Optional<FederationUnderTest> start(String serverClassName, Consumer<String> absentReason) {
        Class<?> serverClass;
        try {
            serverClass = Class.forName(serverClassName);
        } catch (ClassNotFoundException e) {
            absentReason.accept(UNAVAILABLE);
            return Optional.empty();
        }
        Path dataDirectory = null;
        try {
            dataDirectory = Files.createTempDirectory("baton-bench-federation-");
            Object users = Class.forName(USERS_CLASS).getMethod("of", Map.class).invoke(null, Map.of(
                    PUBLISHER.user(), PUBLISHER.password(), SUBSCRIBER.user(), SUBSCRIBER.password()));
            Object builder = serverClass.getMethod("builder").invoke(null);
            builder = call(builder, "listen", new Class<?>[] {String.class, int.class}, "127.0.0.1", 0);
            builder = call(builder, "users", new Class<?>[] {users.getClass()}, users);
            builder = call(builder, "dataDirectory", new Class<?>[] {Path.class}, dataDirectory);
            builder = call(builder, "inMemoryOnly", new Class<?>[0]);
            Object server = call(call(builder, "build", new Class<?>[0]), "start", new Class<?>[0]);
            String url = (String) call(server, "url", new Class<?>[0]);
            return Optional.of(new BatonFederation((AutoCloseable) server, url, dataDirectory));
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            if (dataDirectory != null) {
                IrondHome.deleteTree(dataDirectory);
            }
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new BatonException(ResultCode.INTERNAL,
                    "baton federation server is in this build but could not be started: " + cause, cause);
        }
    }

    private static Object call(Object target, String method, Class<?>[] types, Object... args)
            throws ReflectiveOperationException {
        Method m = target.getClass().getMethod(method, types);
        return m.invoke(target, args);
    }

    @Override
    public String name() {
        return "baton";
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint(url, PUBLISHER, SUBSCRIBER);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (Exception e) {
            System.err.println("# stopping the baton federation server failed: " + e);
        }
        IrondHome.deleteTree(dataDirectory);
    }
}
