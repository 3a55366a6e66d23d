package dev.baton.store.ldap;

import dev.baton.core.config.ConfigNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads store settings written as the {@code store.ldap.*} keys of docs/ldap.md, the way a gateway reads its
 * {@code storage.ldap} section: the keys without their prefix form the node, {@code store.encryption.key}
 * is passed apart. Errors name {@code store.ldap.KEY}.
 */
final class LdapKeys {
    private LdapKeys() {
    }

    static LdapStoreSettings settings(Map<String, String> keys) {
        Map<String, Object> node = new LinkedHashMap<>();
        keys.forEach((key, value) -> {
            if (key.startsWith(LdapStoreSettings.PREFIX)) {
                node.put(key.substring(LdapStoreSettings.PREFIX.length()), value);
            }
        });
        return LdapStoreSettings.from(new ConfigNode(node, "store.ldap"), keys.get("store.encryption.key"));
    }
}
