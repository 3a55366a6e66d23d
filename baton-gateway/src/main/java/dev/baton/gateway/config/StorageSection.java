package dev.baton.gateway.config;

import dev.baton.core.BatonException;
import dev.baton.core.config.ConfigNode;
import dev.baton.store.AttributeCipher;
import dev.baton.store.CleanupSettings;
import dev.baton.store.TieredStoreSettings;
import dev.baton.store.ldap.LdapStoreSettings;
import dev.baton.store.ldap.PurgeSettings;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a gateway's {@code storage} section into {@link GatewaySettings.Storage}. Each part is read by the
 * settings record it becomes ({@link CleanupSettings#from}, {@link TieredStoreSettings#from},
 * {@link LdapStoreSettings#from}, {@link PurgeSettings#from}), so an error names the full key path.
 */
final class StorageSection {
    private static final Set<String> KEYS = Set.of("type", "url", "user", "password", "cleanup", "ldap", "purge",
            "encryption", "tier");
    private static final List<String> TYPES = List.of("memory", "h2", "postgresql", "mariadb", "ldap");

    private StorageSection() {
    }

    /**
     * Reads {@code n}.
     *
     * @param gateway the gateway's name, the directory purge task's default node name
     */
    static GatewaySettings.Storage read(ConfigNode n, String gateway) {
        n.allowOnly(KEYS);
        String type = n.optionalText("type").orElse("h2");
        if (!TYPES.contains(type)) {
            throw n.error("type", "must be memory, h2, postgresql, mariadb or ldap, got '" + type + "'");
        }
        CleanupSettings cleanup = CleanupSettings.from(n.get("cleanup"));
        String key = encryptionKey(n.get("encryption"), type);
        return new GatewaySettings.Storage(type, n.optionalText("url").orElse(""), n.optionalText("user").orElse(""),
                n.optionalText("password").orElse(""), cleanup, directory(n, type, key, gateway), key,
                TieredStoreSettings.from(n.get("tier")));
    }

    /** {@code storage.ldap} and {@code storage.purge}: required, respectively read, for type {@code ldap}, refused for the others. */
    private static Optional<GatewaySettings.Directory> directory(ConfigNode n, String type, String key, String gateway) {
        if (!type.equals("ldap")) {
            for (String section : List.of("ldap", "purge")) {
                if (n.has(section)) {
                    throw n.error(section, "applies to storage type ldap only, not " + type);
                }
            }
            return Optional.empty();
        }
        if (!n.has("ldap")) {
            throw n.error("ldap", "is required for type ldap (servers, bindDn, password, baseDn)");
        }
        return Optional.of(new GatewaySettings.Directory(LdapStoreSettings.from(n.get("ldap"), key),
                PurgeSettings.from(n.get("purge"), gateway)));
    }

    /**
     * {@code storage.encryption.key}: the stores' {@code store.encryption.key}, checked here so that
     * {@code --check} finds a malformed key. The message never shows the key.
     */
    private static String encryptionKey(ConfigNode n, String type) {
        n.allowOnly(Set.of("key"));
        Optional<String> key = n.optionalText("key");
        if (key.isEmpty()) {
            return "";
        }
        if (type.equals("memory")) {
            throw n.error("key", "applies to stored sessions (h2, postgresql, mariadb, ldap); memory storage keeps nothing at rest");
        }
        try {
            AttributeCipher.fromBase64Key(key.get());
        } catch (BatonException e) {
            throw n.error("key", e.getMessage().replace("store.encryption.key ", "")
                    + " (a base64 AES key of 16, 24 or 32 bytes, e.g. from openssl rand -base64 32)");
        }
        return key.get();
    }
}
