package dev.baton.gateway.config;

import dev.baton.core.config.ConfigNode;
import dev.baton.core.BatonException;
import dev.baton.core.Loopback;
import dev.baton.core.ResultCode;
import dev.baton.gateway.GatewayConfig;
import dev.baton.store.CleanupSettings;
import dev.baton.store.TieredStoreSettings;
import dev.baton.store.ldap.LdapStoreSettings;
import dev.baton.store.ldap.PurgeSettings;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a gateway process needs, read from its YAML file.
 *
 * @param gateway    the gateway's rules (realms, roles, Host Checker, migration)
 * @param listen     where the agents' HTTPS API listens (default 127.0.0.1:8444)
 * @param tls        the TLS identity, or empty for a self-signed certificate generated on first start
 * @param federation how to reach the federation server
 * @param storage    where sessions are stored besides memory
 * @param admin      the operators' listener (metrics, admin API, console), or empty for none
 * @param sso        the YAML {@code sso} section (browser single sign-on, read by the {@code baton-sso} module), or
 *                   empty for none
 */
public record GatewaySettings(GatewayConfig gateway, InetSocketAddress listen, Optional<Tls> tls,
                              Federation federation, Storage storage, Optional<Admin> admin, Optional<ConfigNode> sso) {

    /** Settings without browser single sign-on. */
    public GatewaySettings(GatewayConfig gateway, InetSocketAddress listen, Optional<Tls> tls, Federation federation,
                           Storage storage, Optional<Admin> admin) {
        this(gateway, listen, tls, federation, storage, admin, Optional.empty());
    }

    /** Settings without an admin listener. */
    public GatewaySettings(GatewayConfig gateway, InetSocketAddress listen, Optional<Tls> tls, Federation federation,
                           Storage storage) {
        this(gateway, listen, tls, federation, storage, Optional.empty());
    }

    /**
     * The operators' HTTPS listener, on a port of its own (YAML {@code admin}).
     *
     * @param listen    where it listens; loopback unless the operator says otherwise
     * @param operators the operators file (owner-only YAML: names, roles, Argon2id hashes or certificate names)
     * @param auditDir  where audit events are written ({@code audit.jsonl}); default {@code <data dir>/audit}
     */
    public record Admin(InetSocketAddress listen, Path operators, Optional<Path> auditDir) {
    }

    /**
     * A configured keystore.
     *
     * @param keystore PKCS#12 file
     * @param password its password
     */
    public record Tls(Path keystore, String password) {
        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + ", password=****]";
        }
    }

    /**
     * The federation server.
     *
     * @param url       its HTTPS URL, e.g. {@code https://127.0.0.1:8443}
     * @param user      the basic-auth user (each gateway its own publisher)
     * @param password  the basic-auth password
     * @param trustAll  accept any server certificate: for a self-signed server on loopback only, and refused
     *                  for any other host, where anyone on the network path could pose as the federation server
     *                  and collect the gateway's credentials and every session it publishes
     * @param truststore a PKCS#12 truststore with the server's certificate, if not trusting all
     * @param pollCoalesce pause after a poll that brought results, so that the next ones share a response
     */
    public record Federation(String url, String user, String password, boolean trustAll, Optional<Path> truststore,
                             java.time.Duration pollCoalesce) {
        /**
         * Refuses {@code trustAll} unless {@code url}'s host is loopback, decided without a name look-up
         * ({@link Loopback}). Checked here rather than only in the YAML reader so that settings made in code
         * cannot skip it.
         *
         * @throws BatonException {@link ResultCode#CONFIGURATION} naming the option and the host
         */
        public Federation {
            if (trustAll && !Loopback.isLoopbackUrl(url)) {
                throw new BatonException(ResultCode.CONFIGURATION, "federation.trust-all: true is refused for " + url
                        + ": its host " + Loopback.hostOf(url) + " is not a loopback address (127.0.0.0/8, ::1, localhost),"
                        + " and trusting any certificate there lets anyone on the path pose as the federation server;"
                        + " give federation.truststore with the server's certificate");
            }
        }

        @Override
        public String toString() {
            return "Federation[url=" + url + ", user=" + user + ", password=****, trustAll=" + trustAll
                    + ", pollCoalesce=" + pollCoalesce + "]";
        }
    }

    /**
     * Session storage.
     *
     * @param type          {@code memory}, {@code h2}, {@code postgresql}, {@code mariadb} or {@code ldap}
     * @param url           the JDBC URL; for {@code h2} a file path prefix is enough
     * @param user          the user, if any
     * @param password      the password, if any
     * @param cleanup       the database cleanup task's settings (S3, S4; YAML {@code storage.cleanup})
     * @param directory     for {@code ldap}: the directory store's and its purge task's settings (S2, S5)
     * @param encryptionKey base64 AES key sealing session attributes in the store ({@code store.encryption.key}), or empty
     * @param tier          how the memory tier writes to the store (YAML {@code storage.tier})
     */
    public record Storage(String type, String url, String user, String password, CleanupSettings cleanup,
                          Optional<Directory> directory, String encryptionKey, TieredStoreSettings tier) {
        /** Storage with the default cleanup settings, the default tier, no directory and attributes in clear. */
        public Storage(String type, String url, String user, String password) {
            this(type, url, user, password, CleanupSettings.DEFAULTS, Optional.empty(), "", TieredStoreSettings.DEFAULTS);
        }

        /** Checks that the settings are complete. */
        public Storage {
            Objects.requireNonNull(cleanup, "cleanup");
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(tier, "tier");
            encryptionKey = Objects.requireNonNullElse(encryptionKey, "");
        }

        /** For the log: passwords and the key masked (the directory's settings mask their own). */
        @Override
        public String toString() {
            return "Storage[type=" + type + ", url=" + url + ", user=" + user + ", password=****, cleanup=" + cleanup
                    + ", tier=" + tier + directory.map(d -> ", " + d.store() + ", " + d.purge()).orElse("")
                    + ", encryption=" + (encryptionKey.isEmpty() ? "off" : "AES-GCM") + "]";
        }
    }

    /**
     * Sessions stored in an LDAP directory.
     *
     * @param store the directory store's settings (YAML {@code storage.ldap} and {@code storage.encryption.key})
     * @param purge the directory purge task's settings (YAML {@code storage.purge}); its node defaults to the gateway's name
     */
    public record Directory(LdapStoreSettings store, PurgeSettings purge) {
        /** Checks that both are given. */
        public Directory {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(purge, "purge");
        }
    }
}
