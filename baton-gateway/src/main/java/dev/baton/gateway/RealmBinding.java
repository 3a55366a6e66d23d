package dev.baton.gateway;

import dev.baton.core.Realm;

import java.util.Objects;

/**
 * A realm and the authentication server behind it.
 *
 * @param realm  the realm's rules
 * @param server checks credentials and answers inbound look-ups
 */
public record RealmBinding(Realm realm, Authenticator server) {
    /** Validates. */
    public RealmBinding {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(server, "realm " + realm.name() + ": server");
    }
}
