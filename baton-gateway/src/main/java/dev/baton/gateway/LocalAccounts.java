package dev.baton.gateway;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.Argon2id;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts kept on the gateway itself (the "local" authentication server). Passwords are stored only as
 * Argon2id hashes (BouncyCastle's implementation; RFC 9106 second recommended option: 64 MiB, 3 passes,
 * 4 lanes by default), compared in constant time. Thread-safe.
 */
public final class LocalAccounts implements Authenticator {
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final int memoryKib;
    private final int iterations;

    private record Account(String hash, Map<String, List<String>> attributes) {
    }

    /** Accounts hashed with Argon2id, 64 MiB, 3 iterations. */
    public LocalAccounts() {
        this(65_536, 3);
    }

    /** Accounts hashed with the given Argon2id cost; tests lower it to stay fast. */
    public LocalAccounts(int memoryKib, int iterations) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
    }

    /** Adds or replaces an account, hashing its password. */
    public LocalAccounts add(String username, char[] password, Map<String, List<String>> attributes) {
        if (username == null || username.isBlank()) {
            throw new BatonException(ResultCode.CONFIGURATION, "local account username must not be blank");
        }
        accounts.put(username, new Account(hash(password), Map.copyOf(attributes)));
        return this;
    }

    /**
     * Adds an account whose password is already hashed, in the PHC form this class writes
     * ({@code $argon2id$v=19$m=...,t=...,p=1$salt$hash}), as configuration files keep it.
     *
     * @throws BatonException with {@link ResultCode#CONFIGURATION} if the hash is not in that form
     */
    public LocalAccounts addHashed(String username, String phcHash, Map<String, List<String>> attributes) {
        if (!Argon2id.isHash(phcHash)) {
            throw new BatonException(ResultCode.CONFIGURATION, "password-hash of local account " + username
                    + " must be an Argon2id PHC string as written by 'baton hash-password'");
        }
        accounts.put(username, new Account(phcHash, Map.copyOf(attributes)));
        return this;
    }

    /** Hashes a password with this instance's cost, in PHC form, for configuration files. */
    public String hash(char[] password) {
        return Argon2id.hash(password, memoryKib, iterations);
    }

    @Override
    public Optional<Entry> authenticate(String username, char[] password) {
        if (password == null || password.length == 0) {
            return Optional.empty(); // no account has an empty password
        }
        Account a = accounts.get(username);
        if (a == null) {
            Argon2id.burn(password, memoryKib, iterations); // same cost whether or not the user exists
            return Optional.empty();
        }
        return Argon2id.verify(a.hash, password) ? Optional.of(new Entry(username, a.attributes)) : Optional.empty();
    }

    @Override
    public Optional<Entry> find(String username) {
        Account a = accounts.get(username);
        return a == null ? Optional.empty() : Optional.of(new Entry(username, a.attributes));
    }

    /** The stored (PHC-format) hash of an account, for tests that check no password is kept. */
    Optional<String> storedHash(String username) {
        return Optional.ofNullable(accounts.get(username)).map(Account::hash);
    }
}
