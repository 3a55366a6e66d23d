package dev.baton.ifmap.server;

import dev.baton.http.tls.SelfSignedCertificate;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.ifmap.xml.XmlLimits;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The frozen configuration of an {@link IfmapServer}. Build it with {@link Builder}; every option has a
 * default suitable for the embedded single-node server.
 *
 * @param host              address to listen on (default {@code 127.0.0.1})
 * @param port              TCP port (default 8443; 0 picks a free one)
 * @param users             basic-auth users (required)
 * @param rights            what each user may do: the federation policy's role (default {@link FederationPolicy#DEFAULT}:
 *                          no gateways, every client a publisher)
 * @param dataDirectory     where the generated certificate and the H2 database live (default
 *                          {@code ./federation-data})
 * @param explicitKeyStore  a configured TLS keystore, or {@code null} for the generated self-signed one
 * @param keyStorePassword  its password, or {@code null} for the generated one (whose random password is kept
 *                          beside it, see {@link SelfSignedCertificate})
 * @param clientTrustStore  CAs whose client certificates are accepted (the certificate's CN is the user),
 *                          or {@code null} for basic auth only
 * @param storeFactory      forever-metadata persistence (default H2 in {@code dataDirectory})
 * @param clock             time source for session timeouts and timestamps
 * @param sessionTimeout    idle time after which a client session ends (default 180 s)
 * @param pollWait          longest a poll waits before an empty pollResult (default 120 s)
 * @param maxPollResultSize upper bound of any session's max-poll-result-size, bytes (default 5,000,000)
 * @param xmlLimits         request size, depth and element bounds
 * @param maxMetadataLength longest metadata element in characters (default 65,536)
 * @param replication       PostgreSQL replication of the whole graph among replicas, or {@code null} for a
 *                          single node
 * @param searchLimits      the server's caps on a search's or subscription's depth and size
 * @param maxThreads        request threads (default 256). Requests run on platform threads, which answer a
 *                          poll sooner than virtual threads, with no hand-off to a scheduler; each waiting
 *                          poll holds one, so this must exceed the
 *                          number of connected clients plus the requests served at once
 * @param admin             the operators' HTTPS listener (admin API and {@code /metrics}), or {@code null} for none
 */
public record IfmapServerConfig(String host, int port, BasicAuthUsers users, Function<String, PublisherRights> rights,
                                Path dataDirectory, KeyStore explicitKeyStore, char[] keyStorePassword,
                                KeyStore clientTrustStore, Supplier<MetadataStore> storeFactory, InstantSource clock,
                                Duration sessionTimeout, Duration pollWait, long maxPollResultSize,
                                XmlLimits xmlLimits, int maxMetadataLength, Replicas replication, SearchLimits searchLimits,
                                int maxThreads, Admin admin) {

    /**
     * The federation server's admin listener: its own HTTPS port, with the IF-MAP listener's TLS identity.
     *
     * @param host      address to listen on (the command line's default is {@code 127.0.0.1})
     * @param port      TCP port (0 picks a free one)
     * @param operators who may sign in, with which role
     * @param audit     where operators' changes are written
     */
    public record Admin(String host, int port, dev.baton.admin.Operators operators, dev.baton.admin.AuditLog audit) {
        /** Validates. */
        public Admin {
            requireThat(host != null && !host.isBlank(), "admin listen host must not be blank");
            requireThat(port >= 0 && port <= 65535, "admin port must be 0..65535, got " + port);
            requireThat(operators != null, "the admin listener needs operators");
            Objects.requireNonNull(audit, "audit");
        }
    }

    /**
     * Replicas of one federation share their graph through one PostgreSQL database.
     *
     * @param jdbcUrl  {@code jdbc:postgresql://host:port/db}
     * @param user     database user
     * @param password database password
     * @param name               names the tables and the LISTEN/NOTIFY channel (default {@code ifmap})
     * @param compactionInterval how often a replica tries to compact the shared log: snapshot the graph,
     *                           then delete the log rows every live replica has applied (default 5 min)
     * @param livenessWindow     a replica that has not reported its log position for this long is taken
     *                           for dead and no longer holds the log back (default 2 min)
     */
    public record Replicas(String jdbcUrl, String user, String password, String name, Duration compactionInterval,
                           Duration livenessWindow) {
        /** Default compaction interval. */
        public static final Duration DEFAULT_COMPACTION_INTERVAL = Duration.ofMinutes(5);
        /** Default liveness window. */
        public static final Duration DEFAULT_LIVENESS_WINDOW = Duration.ofMinutes(2);

        /** Validates the durations. */
        public Replicas {
            requireThat(compactionInterval != null && compactionInterval.toMillis() > 0,
                    "replica log compaction interval must be positive");
            requireThat(livenessWindow != null && livenessWindow.toSeconds() >= 5,
                    "replica liveness window must be at least 5 s (replicas report every second)");
        }

        /** Replicas with the default compaction interval and liveness window. */
        public Replicas(String jdbcUrl, String user, String password, String name) {
            this(jdbcUrl, user, password, name, DEFAULT_COMPACTION_INTERVAL, DEFAULT_LIVENESS_WINDOW);
        }
    }


    /** Validates; messages name the option. */
    public IfmapServerConfig {
        requireThat(host != null && !host.isBlank(), "listen host must not be blank");
        requireThat(port >= 0 && port <= 65535, "listen port must be 0..65535, got " + port);
        requireThat(users != null, "basic-auth users are required");
        requireThat(sessionTimeout.toMillis() > 0, "session timeout must be positive");
        requireThat(pollWait.toMillis() > 0, "poll wait must be positive");
        requireThat(maxPollResultSize > 0, "max-poll-result-size must be positive");
        requireThat(maxMetadataLength > 0, "max metadata length must be positive");
        requireThat(maxThreads >= 8, "max threads must be at least 8, got " + maxThreads);
        Objects.requireNonNull(rights, "rights");
        Objects.requireNonNull(searchLimits, "searchLimits");
        Objects.requireNonNull(storeFactory, "storeFactory");
        Objects.requireNonNull(clock, "clock");
    }

    /** The TLS keystore and its password: the configured ones, or the self-signed one's (generated on first start). */
    SelfSignedCertificate.Identity tlsIdentity() {
        return explicitKeyStore != null ? new SelfSignedCertificate.Identity(explicitKeyStore, keyStorePassword)
                : SelfSignedCertificate.loadOrCreate(dataDirectory.resolve("federation-tls.p12"), host);
    }

    private static void requireThat(boolean ok, String message) {
        if (!ok) {
            throw new BatonException(ResultCode.CONFIGURATION, message);
        }
    }

    /** Collects options; not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8443;
        private BasicAuthUsers users;
        private final Map<String, PublisherRights> rights = new HashMap<>();
        private FederationPolicy policy = FederationPolicy.DEFAULT;
        private SearchLimits searchLimits = SearchLimits.DEFAULTS;
        private Path dataDirectory = Path.of("federation-data");
        private KeyStore keyStore;
        private char[] keyStorePassword;
        private KeyStore clientTrustStore;
        private Supplier<MetadataStore> storeFactory;
        private InstantSource clock = InstantSource.system();
        private Duration sessionTimeout = Duration.ofSeconds(180);
        private Duration pollWait = Duration.ofSeconds(120);
        private long maxPollResultSize = 5_000_000;
        private XmlLimits xmlLimits = XmlLimits.DEFAULTS;
        private int maxMetadataLength = 65_536;
        private Replicas replicas;
        private int maxThreads = 256;
        private Admin admin;

        /** Serves the admin API and {@code /metrics} on their own port (see {@link Admin}). */
        public Builder admin(Admin a) {
            this.admin = a;
            return this;
        }

        /** Listen address and port (0: any free port). */
        public Builder listen(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** The basic-auth users. */
        public Builder users(BasicAuthUsers users) {
            this.users = users;
            return this;
        }

        /** What {@code user} may do, overriding the policy's word for that user. */
        public Builder rights(String user, PublisherRights r) {
            rights.put(user, r);
            return this;
        }

        /** The federation policy: each client's role (default {@link FederationPolicy#DEFAULT}). */
        public Builder policy(FederationPolicy p) {
            this.policy = Objects.requireNonNull(p, "policy");
            return this;
        }

        /** Makes each of {@code users} a gateway ({@link PublisherRights#GATEWAY}). */
        public Builder gateways(Iterable<String> users) {
            users.forEach(u -> rights.put(u, PublisherRights.GATEWAY));
            return this;
        }

        /** The server's caps on search and subscription depth and size. */
        public Builder searchLimits(SearchLimits limits) {
            this.searchLimits = Objects.requireNonNull(limits, "searchLimits");
            return this;
        }

        /** Where the generated certificate and the default H2 database are kept. */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = dir;
            return this;
        }

        /** A configured TLS keystore instead of the generated certificate. */
        public Builder keyStore(KeyStore ks, char[] password) {
            this.keyStore = ks;
            this.keyStorePassword = password.clone();
            return this;
        }

        /** Accept TLS client certificates issued by the CAs in {@code trustStore}; the CN is the user. */
        public Builder clientCertificates(KeyStore trustStore) {
            this.clientTrustStore = trustStore;
            return this;
        }

        /** Forever-metadata persistence, opened on start and closed on stop. */
        public Builder store(Supplier<MetadataStore> factory) {
            this.storeFactory = factory;
            return this;
        }

        /** Keep forever metadata in memory only (lost on restart). */
        public Builder inMemoryOnly() {
            this.storeFactory = MetadataStore::none;
            return this;
        }

        /** The time source (tests move it by hand). */
        public Builder clock(InstantSource c) {
            this.clock = c;
            return this;
        }

        /** Idle time after which a client session ends. */
        public Builder sessionTimeout(Duration d) {
            this.sessionTimeout = d;
            return this;
        }

        /** Longest a poll waits before answering with an empty pollResult. */
        public Builder pollWait(Duration d) {
            this.pollWait = d;
            return this;
        }

        /** Upper bound of max-poll-result-size in bytes. */
        public Builder maxPollResultSize(long bytes) {
            this.maxPollResultSize = bytes;
            return this;
        }

        /** Bounds on request documents. */
        public Builder xmlLimits(XmlLimits limits) {
            this.xmlLimits = limits;
            return this;
        }

        /** Longest metadata element accepted, in characters. */
        public Builder maxMetadataLength(int chars) {
            this.maxMetadataLength = chars;
            return this;
        }

        /**
         * Makes this server a replica of every server configured with the same database and name; the
         * database then holds the whole graph and forever metadata needs no other store.
         */
        public Builder replicas(Replicas r) {
            this.replicas = r;
            return this;
        }

        /** The frozen configuration. */
        public IfmapServerConfig config() {
            Map<String, PublisherRights> r = Map.copyOf(rights);
            Path dir = dataDirectory;
            Supplier<MetadataStore> sf = storeFactory != null ? storeFactory
                    : replicas != null ? MetadataStore::none
                    : () -> JdbcMetadataStore.h2(dir.resolve("federation-db"));
            FederationPolicy p = policy;
            return new IfmapServerConfig(host, port, users, u -> {
                PublisherRights own = r.get(u);
                return own != null ? own : p.rights(u);
            }, dir, keyStore, keyStorePassword, clientTrustStore, sf, clock, sessionTimeout, pollWait,
                    maxPollResultSize, xmlLimits, maxMetadataLength, replicas, searchLimits, maxThreads, admin);
        }

        /** Request threads; each waiting poll holds one (default 256). */
        public Builder maxThreads(int n) {
            this.maxThreads = n;
            return this;
        }

        /** A server with this configuration, not yet started. */
        public IfmapServer build() {
            return new IfmapServer(config());
        }
    }
}
