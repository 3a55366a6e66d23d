package dev.baton.bench.sso;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Baton's side of the sso benchmark: a gateway with an {@code sso:} section. This build has no OpenID Connect
 * provider yet (module {@code baton-sso}, issue 17), so Baton's side is reported as not measured.
 */
final class BatonSsoGateway implements AutoCloseable {
    private BatonSsoGateway() {
    }

    /** Empty, with the reason told to {@code note}: this build has no provider. */
    static Optional<BatonSsoGateway> start(SsoFixture fixture, Consumer<String> note) {
        note.accept("baton: this build has no OpenID Connect provider (module baton-sso, issue 17); Baton's side is not measured");
        return Optional.empty();
    }

    OidcTarget target(SsoFixture fixture) {
        throw new UnsupportedOperationException("no provider in this build");
    }

    PasswordHashCost passwordHashCost() {
        throw new UnsupportedOperationException("no provider in this build");
    }

    @Override
    public void close() {
    }
}
