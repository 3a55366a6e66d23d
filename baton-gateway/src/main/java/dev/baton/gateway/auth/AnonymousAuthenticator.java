package dev.baton.gateway.auth;

import dev.baton.gateway.Authenticator;

import java.util.Map;
import java.util.Optional;

/**
 * The anonymous realm's server: everyone signs in, as one fixed user name, with no attributes; the
 * username and password given are ignored. Anonymous sessions never migrate (see
 * {@link dev.baton.core.AuthServerKind#ANONYMOUS}), so {@link #find} knows nobody. Immutable, thread-safe.
 */
public final class AnonymousAuthenticator implements Authenticator {
    /** The user name anonymous sessions get unless configured otherwise. */
    public static final String DEFAULT_USER = "anonymous";

    private final Entry entry;

    /** Signs everyone in as {@value #DEFAULT_USER}. */
    public AnonymousAuthenticator() {
        this(DEFAULT_USER);
    }

    /**
     * Signs everyone in as {@code userName} ({@code anonymous.userName}).
     *
     * @throws dev.baton.core.BatonException with CONFIGURATION if the name is blank
     */
    public AnonymousAuthenticator(String userName) {
        this.entry = new Entry(ConfigCheck.notBlank(userName, "anonymous.userName"), Map.of());
    }

    /** Always the fixed anonymous entry, whatever was typed. */
    @Override
    public Optional<Entry> authenticate(String username, char[] password) {
        return Optional.of(entry);
    }

    /** Always empty: anonymous sessions never migrate, so no inbound look-up should find anyone. */
    @Override
    public Optional<Entry> find(String username) {
        return Optional.empty();
    }
}
