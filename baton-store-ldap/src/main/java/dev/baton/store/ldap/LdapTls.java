package dev.baton.store.ldap;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How connections to the session directory are protected. The directory holds every session and sees the
 * bind password, so the default is {@link Mode#STARTTLS} with the JVM's trusted CAs; plain LDAP must be asked
 * for ({@code store.ldap.tls: none}) and is refused towards any host that is not loopback unless
 * {@code store.ldap.allowInsecurePlain} is also set, so a forgotten line cannot send sessions across a network
 * in clear. With TLS the directory's certificate must chain to a certificate in the truststore and name the
 * host dialled (DNS or IP subject alternative name).
 *
 * <p>Immutable; validated when built. {@link #toString()} masks the truststore password.
 *
 * @param mode               LDAPS, StartTLS or none
 * @param truststore         PKCS#12 file with the certificates trusted for the directory (its CA, or its own
 *                           self-signed certificate), or {@code null} for the JVM's default trust store; TLS modes only
 * @param truststorePassword the truststore's password, or {@code null} for a password-less PKCS#12 file
 * @param allowInsecurePlain with {@link Mode#NONE} only: also allow plain LDAP to hosts that are not loopback
 */
public record LdapTls(Mode mode, Path truststore, String truststorePassword, boolean allowInsecurePlain) {

    /** The protection of the connection. */
    public enum Mode {
        /** TLS from the first byte ({@code ldaps://}, usually port 636). */
        LDAPS,
        /** Plain LDAP upgraded with the StartTLS extended operation before the bind (RFC 4513 3.1.1), usually port 389. */
        STARTTLS,
        /** No protection: sessions and the bind password travel in clear. */
        NONE;

        /**
         * Parses {@code ldaps}, {@code starttls} (also {@code start-tls}, as the authentication servers spell it)
         * or {@code none}, ignoring case.
         *
         * @throws BatonException {@code CONFIGURATION} naming {@code store.ldap.tls}
         */
        public static Mode parse(String value) {
            String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "ldaps" -> LDAPS;
                case "starttls", "start-tls" -> STARTTLS;
                case "none" -> NONE;
                default -> throw LdapStoreSettings.config("tls", "must be ldaps, starttls or none, got '" + value + "'");
            };
        }

        /** The port used when a server is given as a URL without one: 636 for LDAPS, else 389. */
        public int defaultPort() {
            return this == LDAPS ? 636 : 389;
        }
    }

    /** Validates. */
    public LdapTls {
        if (mode == null) {
            throw LdapStoreSettings.config("tls", "must be ldaps, starttls or none");
        }
        if (mode == Mode.NONE && truststore != null) {
            throw LdapStoreSettings.config("truststore", "is set but store.ldap.tls is none: nothing would be verified;"
                    + " use starttls or ldaps, or remove the truststore");
        }
        if (mode != Mode.NONE && allowInsecurePlain) {
            throw LdapStoreSettings.config("allowInsecurePlain", "applies only to store.ldap.tls: none, but tls is "
                    + mode.name().toLowerCase(Locale.ROOT));
        }
        if (truststore != null && !Files.isReadable(truststore)) {
            throw LdapStoreSettings.config("truststore", truststore + " is not a readable file");
        }
        if (truststore == null && truststorePassword != null && !truststorePassword.isEmpty()) {
            throw LdapStoreSettings.config("truststorePassword", "is set but store.ldap.truststore is not");
        }
    }

    /** StartTLS, trusting the JVM's default CAs (the default). */
    public static LdapTls startTls() {
        return new LdapTls(Mode.STARTTLS, null, null, false);
    }

    /** StartTLS trusting the certificates in a PKCS#12 truststore. */
    public static LdapTls startTls(Path truststore, String password) {
        return new LdapTls(Mode.STARTTLS, truststore, password, false);
    }

    /** LDAPS trusting the certificates in a PKCS#12 truststore. */
    public static LdapTls ldaps(Path truststore, String password) {
        return new LdapTls(Mode.LDAPS, truststore, password, false);
    }

    /** Plain LDAP, to loopback hosts only. */
    public static LdapTls none() {
        return new LdapTls(Mode.NONE, null, null, false);
    }

    /**
     * Refuses plain LDAP to a server that is not on loopback, unless {@link #allowInsecurePlain}.
     *
     * @throws BatonException {@code CONFIGURATION} naming the server and {@code store.ldap.tls}
     */
    void checkPlainAllowed(List<LdapStoreSettings.Server> servers) {
        if (mode != Mode.NONE || allowInsecurePlain) {
            return;
        }
        for (LdapStoreSettings.Server s : servers) {
            if (!isLoopback(s.host())) {
                throw LdapStoreSettings.config("tls", "is none but server " + s + " is not on loopback: sessions and the"
                        + " bind password would cross the network in clear; use starttls or ldaps, or set"
                        + " store.ldap.allowInsecurePlain: true to accept that");
            }
        }
    }

    /** Whether {@code host} is loopback by the one rule all of Baton uses ({@link dev.baton.core.Loopback}). */
    static boolean isLoopback(String host) {
        return dev.baton.core.Loopback.isLoopbackHost(host.strip());
    }

    /** For the log: the password masked. */
    @Override
    public String toString() {
        return mode.name().toLowerCase(Locale.ROOT)
                + (mode == Mode.NONE ? (allowInsecurePlain ? " (insecure plain allowed)" : "")
                : ", truststore=" + (truststore == null ? "JVM default" : truststore)
                + (truststorePassword == null || truststorePassword.isEmpty() ? "" : ", truststorePassword=****"));
    }
}
