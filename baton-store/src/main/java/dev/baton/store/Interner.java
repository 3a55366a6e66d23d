package dev.baton.store;

import dev.baton.core.AuthGroup;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One shared instance per distinct value of what repeats across a gateway's sessions: realm, authentication group,
 * owner, role and attribute names. A session read from the store otherwise brings its own copy of each (about 400
 * bytes of a session's heap), for values a gateway has a handful of. Bounded: past {@value #LIMIT} distinct values
 * new ones are returned as they came, so a store full of distinct names costs no more than without it.
 * Thread-safe.
 */
final class Interner {
    static final int LIMIT = 10_000;

    private final ConcurrentMap<String, String> strings = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AuthGroup> groups = new ConcurrentHashMap<>();

    /** The shared instance equal to {@code value} ({@code null} stays {@code null}). */
    String string(String value) {
        if (value == null) {
            return null;
        }
        String shared = strings.get(value);
        if (shared != null) {
            return shared;
        }
        if (strings.size() >= LIMIT) {
            return value;
        }
        shared = strings.putIfAbsent(value, value);
        return shared == null ? value : shared;
    }

    /** The shared group named {@code name} ({@code null}: no group). */
    AuthGroup group(String name) {
        if (name == null) {
            return null;
        }
        AuthGroup shared = groups.get(name);
        if (shared != null) {
            return shared;
        }
        AuthGroup group = new AuthGroup(name);
        if (groups.size() >= LIMIT) {
            return group;
        }
        shared = groups.putIfAbsent(name, group);
        return shared == null ? group : shared;
    }
}
