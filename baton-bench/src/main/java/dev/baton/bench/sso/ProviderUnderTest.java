package dev.baton.bench.sso;

/**
 * An OpenID Connect provider the sso benchmark started, Baton's or a peer's: how to drive it, what its password
 * hashes cost, its process. Closing stops it and deletes what it wrote.
 */
interface ProviderUnderTest extends AutoCloseable {
    /** The name in result lines: {@code baton}, {@code keycloak}. */
    String name();

    /** The benchmark's view of the provider, set up with {@code fixture}. */
    OidcTarget target(SsoFixture fixture);

    /** The cost of the user's stored password hash, as read back from the provider's side. */
    PasswordHashCost passwordHashCost();

    /** The provider's process, whose CPU time the benchmark reads. */
    ProcessHandle process();

    /** How much the provider wrote to its console. */
    String consoleSummary();

    @Override
    void close();
}
