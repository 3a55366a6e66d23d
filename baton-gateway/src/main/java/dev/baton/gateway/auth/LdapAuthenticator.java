package dev.baton.gateway.auth;

import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import dev.baton.core.BatonException;
import dev.baton.gateway.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An LDAP directory or an Active Directory behind a realm, through the UnboundID LDAP SDK.
 *
 * <p>Sign-in: the username is put, escaped, into {@code ldap.userFilter} and searched for under
 * {@code ldap.baseDn} with the service account; exactly one entry must match, and a bind as that DN with
 * the password decides. Active Directory with {@code ldap.domain} binds as {@code user@domain} straight
 * away instead. An empty password is refused before any bind, because LDAP treats a simple bind with an
 * empty password as an anonymous bind that succeeds (RFC 4513 5.1.2).
 *
 * <p>Inbound look-ups ({@link #find}) search the same way without binding: an LDAP user exists when the
 * username resolves to a DN (F6). For Active Directory without attribute look-up, {@code find} answers an
 * entry with no attributes without asking the server: AD realms accept migrated sessions without asking
 * (see {@link dev.baton.core.AuthServerKind#ACTIVE_DIRECTORY}).
 *
 * <p>Connections are protected with StartTLS or LDAPS unless {@code ldap.security=none}; the directory's
 * certificate must chain to {@code ldap.caFile} (or the JVM's CAs) and name the host dialled.
 *
 * <p>Connections come from one pool (service-bound), opened lazily so that a gateway starts while its
 * directory is down; the servers are tried in order. Thread-safe. Close it to release the connections.
 */
public final class LdapAuthenticator implements Authenticator, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LdapAuthenticator.class);
    /** Answers meaning "these credentials do not sign in" rather than "the directory is broken". */
    private static final Set<ResultCode> REFUSALS = Set.of(ResultCode.INVALID_CREDENTIALS, ResultCode.UNWILLING_TO_PERFORM,
            ResultCode.INAPPROPRIATE_AUTHENTICATION, ResultCode.CONSTRAINT_VIOLATION, ResultCode.INVALID_DN_SYNTAX);

    private final LdapConfig config;
    private final LDAPConnectionPool pool;
    private final String[] attributes;

    /**
     * Creates the (empty) connection pool.
     *
     * @throws BatonException with CONFIGURATION if the pool cannot be set up
     */
    public LdapAuthenticator(LdapConfig config) {
        this.config = config;
        this.attributes = config.returnsAttributes() ? config.attributes().toArray(String[]::new) : new String[0];
        this.pool = openPool(config);
        LOG.info("LDAP authentication server configured: {}", config);
    }

    private static LDAPConnectionPool openPool(LdapConfig config) {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) config.connectTimeout().toMillis());
        options.setResponseTimeoutMillis(config.responseTimeout().toMillis());
        // Checks that the certificate names the host we dialled, for LDAPS and StartTLS alike.
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        List<ConfigCheck.HostPort> hosts = config.servers().stream()
                .map(s -> ConfigCheck.hostPort(s, config.defaultPort(), "ldap.servers")).toList();
        String[] names = hosts.stream().map(ConfigCheck.HostPort::host).toArray(String[]::new);
        int[] ports = hosts.stream().mapToInt(ConfigCheck.HostPort::port).toArray();
        SimpleBindRequest serviceBind = config.bindDn() == null ? null : new SimpleBindRequest(config.bindDn(), config.bindPassword());
        try {
            SSLUtil tls = new SSLUtil(config.caFile() == null ? JVMDefaultTrustManager.getInstance()
                    : new PEMFileTrustManager(config.caFile().toFile()));
            FailoverServerSet servers = switch (config.security()) {
                case LDAPS -> new FailoverServerSet(names, ports, tls.createSSLSocketFactory(), options);
                case START_TLS, NONE -> new FailoverServerSet(names, ports, options);
            };
            PostConnectProcessor startTls = config.security() == LdapConfig.Security.START_TLS
                    ? new StartTLSPostConnectProcessor(tls.createSSLContext()) : null;
            // No initial connections: the gateway must start even while the directory is down.
            LDAPConnectionPool pool = new LDAPConnectionPool(servers, serviceBind, 0, config.maxConnections(), startTls);
            pool.setCreateIfNecessary(true);
            pool.setMaxWaitTimeMillis(config.responseTimeout().toMillis());
            // A pooled connection the server closed (restart, idle timeout) is replaced and the operation retried once.
            pool.setRetryFailedOperationsDueToInvalidConnections(EnumSet.of(OperationType.SEARCH, OperationType.BIND));
            return pool;
        } catch (LDAPException e) {
            throw ConfigCheck.error("ldap.servers", "cannot set up the connection pool: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw ConfigCheck.error("ldap.caFile", "cannot set up TLS: " + e.getMessage());
        }
    }

    /** The configuration in force. */
    public LdapConfig config() {
        return config;
    }

    @Override
    public Optional<Entry> authenticate(String username, char[] password) {
        if (username == null || username.isBlank() || password == null || password.length == 0) {
            return Optional.empty();
        }
        if (config.mode() == LdapConfig.Mode.ACTIVE_DIRECTORY && config.domain() != null) {
            String principal = username.contains("@") ? username : username + "@" + config.domain();
            if (!bind(principal, password)) {
                return Optional.empty();
            }
            return config.attributeLookup() ? search(username).map(this::entry).or(() -> Optional.of(bare(username)))
                    : Optional.of(bare(username));
        }
        Optional<SearchResultEntry> found = search(username);
        return found.isPresent() && bind(found.get().getDN(), password) ? found.map(this::entry) : Optional.empty();
    }

    @Override
    public Optional<Entry> find(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        if (!config.returnsAttributes()) {
            return Optional.of(bare(username));
        }
        return search(username).map(this::entry);
    }

    @Override
    public void close() {
        pool.close();
    }

    private Optional<SearchResultEntry> search(String username) {
        String filter = config.userFilter().replace("{0}", Filter.encodeValue(username));
        try {
            // "1.1" asks for no attributes; an empty list would ask for all of them.
            String[] wanted = attributes.length == 0 ? new String[] {SearchRequest.NO_ATTRIBUTES} : attributes;
            SearchRequest request = new SearchRequest(config.baseDn(), SearchScope.SUB, Filter.create(filter), wanted);
            request.setSizeLimit(2);
            SearchResult result = pool.search(request);
            if (result.getEntryCount() > 1) {
                return ambiguous(filter);
            }
            return result.getEntryCount() == 1 ? Optional.of(result.getSearchEntries().get(0)) : Optional.empty();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return ambiguous(filter);
            }
            throw unavailable("search for the user", e);
        } catch (LDAPException e) {
            throw unavailable("search for the user", e);
        }
    }

    private static Optional<SearchResultEntry> ambiguous(String filter) {
        LOG.warn("LDAP user filter {} matches more than one entry; refusing the ambiguous user", filter);
        return Optional.empty();
    }

    private boolean bind(String name, char[] password) {
        byte[] secret = Passwords.utf8(password);
        try {
            pool.bindAndRevertAuthentication(new SimpleBindRequest(name, secret));
            return true;
        } catch (LDAPException e) {
            if (REFUSALS.contains(e.getResultCode())) {
                LOG.debug("LDAP bind as {} refused: {}", name, e.getResultCode());
                return false;
            }
            throw unavailable("bind", e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private Entry entry(SearchResultEntry found) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String name : attributes) {
            String[] v = found.getAttributeValues(name);
            if (v != null && v.length > 0) {
                values.put(name, List.of(v));
            }
        }
        return new Entry(found.getDN(), values);
    }

    private static Entry bare(String username) {
        return new Entry(username, Map.of());
    }

    /** The servers and the error go to the gateway's log; the agent is told {@link Authenticator#UNAVAILABLE_REASON}. */
    private BatonException unavailable(String what, LDAPException e) {
        LOG.warn("LDAP {} failed on {}: {}{}", what, config.servers(), e.getResultCode(),
                e.getDiagnosticMessage() == null ? "" : " (" + e.getDiagnosticMessage() + ")");
        return new BatonException(dev.baton.core.ResultCode.UNAVAILABLE, UNAVAILABLE_REASON, e);
    }
}
