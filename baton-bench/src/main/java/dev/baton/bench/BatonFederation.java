package dev.baton.bench;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts Baton's own IF-MAP federation server in-process for a benchmark.
 *
 * <p>This build of {@code baton-bench} does not contain the federation server (module
 * {@code baton-ifmap}), so {@link #start} reports it as not available instead of measuring anything.
 * Wiring it means: depend on {@code baton-ifmap}, start its server on {@code 127.0.0.1:0} with a
 * self-signed certificate and the users {@link FederationUnderTest#PUBLISHER} and
 * {@link FederationUnderTest#SUBSCRIBER}, and return it as a {@link FederationUnderTest}.
 */
final class BatonFederation {
    static final String UNAVAILABLE = "baton federation server not available in this build";

    private BatonFederation() {
    }

    /**
     * Starts Baton's federation server on loopback, or tells {@code absentReason} why it cannot.
     *
     * @return the running server, or empty when it is not available
     */
    static Optional<FederationUnderTest> start(Consumer<String> absentReason) {
        absentReason.accept(UNAVAILABLE);
        return Optional.empty();
    }
}
