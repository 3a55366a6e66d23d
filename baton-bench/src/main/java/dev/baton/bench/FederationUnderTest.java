package dev.baton.bench;

import java.util.Optional;

/**
 * An IF-MAP 2.x federation server that a benchmark drives over HTTPS on loopback: Baton's own, started
 * in-process, or a peer such as irond, started as a child process. The benchmark sees only the endpoint,
 * so both are measured by the same client code.
 *
 * <p>Closing stops the server and releases what it held (process, temp folder, port).
 */
public interface FederationUnderTest extends AutoCloseable {
    /** Short lower-case name used in result names: {@code baton}, {@code irond}. */
    String name();

    /** Where and as whom the benchmark connects. */
    Endpoint endpoint();

    /**
     * What a child process wrote to its console while measured (a server that logs per request is measured
     * writing its log), or empty for a server in this process.
     */
    default Optional<String> consoleSummary() {
        return Optional.empty();
    }

    /** Stops the server; never throws. */
    @Override
    void close();

    /**
     * An HTTPS URL on loopback and two basic-auth identities: one that publishes and searches, one that
     * subscribes and polls (IF-MAP allows one session per client identity).
     */
    record Endpoint(String url, Credentials publisher, Credentials subscriber) {
    }

    /** The identity that publishes and searches, on every server under test. */
    Credentials PUBLISHER = new Credentials("bench-publisher", "bench-publisher-secret");
    /** The identity that subscribes and polls, on every server under test. */
    Credentials SUBSCRIBER = new Credentials("bench-subscriber", "bench-subscriber-secret");

    /** A basic-auth user name and password. */
    record Credentials(String user, String password) {
        @Override
        public String toString() {
            return user + ":****";
        }
    }
}
