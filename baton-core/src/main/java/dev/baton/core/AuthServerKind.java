package dev.baton.core;

/**
 * The kind of authentication server behind a realm. The kind of the <em>receiving</em> realm decides
 * whether a migrated session is accepted (F6); see {@link InboundRules}.
 */
public enum AuthServerKind {
    /** Accounts kept on the gateway itself. Inbound: the username must be a valid local account. */
    LOCAL("local", Inbound.ACCOUNT_MUST_EXIST, AttributeSource.DIRECTORY),
    /** An LDAP directory. Inbound: the username must resolve to a DN. */
    LDAP("LDAP", Inbound.ACCOUNT_MUST_EXIST, AttributeSource.DIRECTORY),
    /** A NIS server. Inbound: the username must be found. */
    NIS("NIS", Inbound.ACCOUNT_MUST_EXIST, AttributeSource.DIRECTORY),
    /** RSA ACE/SecurID. Inbound: always accepted (one-time passwords cannot be re-checked). */
    ACE("ACE", Inbound.ALWAYS, AttributeSource.DIRECTORY),
    /** RADIUS. Inbound: always accepted; a directory attribute look-up yields no attributes. */
    RADIUS("RADIUS", Inbound.ALWAYS, AttributeSource.NONE),
    /** Active Directory. Inbound: always accepted; attributes only if the realm is configured to look them up. */
    ACTIVE_DIRECTORY("Active Directory", Inbound.ALWAYS, AttributeSource.IF_CONFIGURED),
    /** Anonymous access. Sessions are not authenticated by the gateway and never migrate. */
    ANONYMOUS("anonymous", Inbound.NEVER, AttributeSource.NONE),
    /** TLS client certificates. The certificate is the credential, so sessions never migrate. */
    CERTIFICATE("certificate", Inbound.NEVER, AttributeSource.NONE),
    /** SAML: another single sign-on system owns the session; never migrates. */
    SAML("SAML", Inbound.NEVER, AttributeSource.NONE),
    /** CA SiteMinder: another single sign-on system owns the session; never migrates. */
    SITEMINDER("SiteMinder", Inbound.NEVER, AttributeSource.NONE);

    /** What the receiving realm's server must confirm before accepting a migrated session. */
    public enum Inbound {
        /** The user must be known to the server (local account, resolvable DN, NIS entry). */
        ACCOUNT_MUST_EXIST,
        /** Accepted without asking the server. */
        ALWAYS,
        /** Refused: sessions of this kind never migrate. */
        NEVER
    }

    /** Where user attributes for role mapping can come from on arrival (F6, F7). */
    public enum AttributeSource {
        /** A directory look-up can yield attributes. */
        DIRECTORY,
        /** A look-up yields no attributes at all. */
        NONE,
        /** Yields attributes only when the realm enables attribute look-up. */
        IF_CONFIGURED
    }

    private final String displayName;
    private final Inbound inbound;
    private final AttributeSource attributeSource;

    AuthServerKind(String displayName, Inbound inbound, AttributeSource attributeSource) {
        this.displayName = displayName;
        this.inbound = inbound;
        this.attributeSource = attributeSource;
    }

    /** The name operators know it by. */
    public String displayName() {
        return displayName;
    }

    /** The inbound rule for sessions migrating into a realm of this kind. */
    public Inbound inbound() {
        return inbound;
    }

    /** Whether sessions authenticated by a server of this kind may ever migrate, out or in. */
    public boolean migrates() {
        return inbound != Inbound.NEVER;
    }

    /** Where attributes come from when a directory look-up is made for a migrated session. */
    public AttributeSource attributeSource() {
        return attributeSource;
    }

    /**
     * Parses a configuration value such as {@code ldap}, {@code active-directory} or {@code SiteMinder}.
     *
     * @throws BatonException with {@link ResultCode#CONFIGURATION} naming the accepted values
     */
    public static AuthServerKind parse(String value) {
        String key = value == null ? "" : value.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace(' ', '_');
        if (key.equals("AD")) {
            return ACTIVE_DIRECTORY;
        }
        for (AuthServerKind kind : values()) {
            if (kind.name().equals(key)) {
                return kind;
            }
        }
        throw new BatonException(ResultCode.CONFIGURATION, "unknown authentication server kind '" + value
                + "'; expected one of local, ldap, nis, ace, radius, active-directory, anonymous, certificate, saml, siteminder");
    }
}
