package dev.baton.bench;

import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts Baton's own IF-MAP federation server ({@code dev.baton.ifmap.server.IfmapServer} of module
 * {@code baton-federation}) in this process, on {@code 127.0.0.1} and a free port, with its generated
 * self-signed certificate, forever-metadata kept in memory only, and the benchmark's two users.
 *
 */
final class BatonFederation implements FederationUnderTest {
    static final String UNAVAILABLE = "baton federation server not available in this build";

    private final AutoCloseable server;
    private final String url;
    private final Path dataDirectory;

    private BatonFederation(AutoCloseable server, String url, Path dataDirectory) {
        this.server = server;
        this.url = url;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts Baton's federation server on loopback. Always present in this build; the {@code absentReason}
     * parameter keeps the shape {@link IfmapBenchmark} expects of any server factory.
     *
     * @throws BatonException ({@link ResultCode#INTERNAL}) when the server cannot be started
     */
    static Optional<FederationUnderTest> start(Consumer<String> absentReason) {
        Path dataDirectory = null;
        try {
            dataDirectory = Files.createTempDirectory("baton-bench-federation-");
            IfmapServer server = IfmapServer.builder().listen("127.0.0.1", 0)
                    .users(BasicAuthUsers.of(Map.of(PUBLISHER.user(), PUBLISHER.password(), SUBSCRIBER.user(), SUBSCRIBER.password())))
                    .policy(BatonProcess.BENCH_POLICY).dataDirectory(dataDirectory).inMemoryOnly().build().start();
            return Optional.of(new BatonFederation(server, server.url(), dataDirectory));
        } catch (IOException | RuntimeException e) {
            if (dataDirectory != null) {
                IrondHome.deleteTree(dataDirectory);
            }
            throw new BatonException(ResultCode.INTERNAL, "baton federation server could not be started: " + e, e);
        }
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
