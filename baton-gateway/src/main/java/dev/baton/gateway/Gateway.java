package dev.baton.gateway;

import dev.baton.core.AccessPolicy;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.RoleMappingRule;
import dev.baton.core.Session;
import dev.baton.core.SessionId;
import dev.baton.core.SessionIdHash;
import dev.baton.core.SessionOptions;
import dev.baton.core.TimeoutRules;
import dev.baton.core.UserDirectory;
import dev.baton.core.api.AccessResult;
import dev.baton.core.api.Challenge;
import dev.baton.core.api.ConnectRequest;
import dev.baton.core.api.GatewayEndpoint;
import dev.baton.core.api.SessionProof;
import dev.baton.core.api.SignInRequest;
import dev.baton.core.api.SignInResult;
import dev.baton.admin.AuditLog;
import dev.baton.store.MemorySessionStore;
import dev.baton.store.SessionFilter;
import dev.baton.store.SessionPage;
import dev.baton.store.SessionStore;
import dev.baton.store.StoredSession;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ScheduledExecutorService;
import dev.baton.store.TieredSessionStore;
import dev.baton.store.TieredStoreSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.baton.gateway.admission.AdmissionControl;
import dev.baton.gateway.auth.AnonymousAuthenticator;
import dev.baton.gateway.auth.CertificateAuthenticator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A gateway node: signs users in through its realms, holds their sessions, publishes them to the
 * federation, takes sessions that migrate in, and drops the ones that migrate away. Thread-safe.
 *
 * <p>Time is read only from the {@link InstantSource} given, so tests move it by hand.
 */
public final class Gateway implements GatewayEndpoint, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final Federation federation;
    private final InstantSource clock;
    private final TieredSessionStore tier;
    private final SessionTable table;
    private final Migration migration;
    private final Challenges challenges;
    private final HostCheck hostCheck;
    private final AdmissionControl admission;
    private final AutoCloseable subscription;
    private final SessionStore store;
    private final GatewayEvents events;
    private final SessionLimits limits;
    private final Revocations revocations;
    private final Credentials credentials;

    /** A gateway whose sessions live in memory only (no external storage), for tests and the demo. */
    public Gateway(GatewayConfig config, Federation federation, InstantSource clock) {
        this(config, federation, clock, new MemorySessionStore(), TieredStoreSettings.DEFAULTS, new SimpleMeterRegistry());
    }

    /**
     * Starts a gateway and subscribes it to its sessions' ownership changes. Its sessions live in memory and
     * in {@code store}; a session that reaches its deadline in memory is withdrawn from the federation.
     * Call {@link #startMaintenance} to flush coalesced activity and evict expired sessions on a timer.
     *
     * @param store    the external session store (the gateway does not close it)
     * @param settings how the memory tier writes to it
     * @param registry where the tier's metrics go
     */
    public Gateway(GatewayConfig config, Federation federation, InstantSource clock, SessionStore store,
                   TieredStoreSettings settings, MeterRegistry registry) {
        this(config, federation, clock, store, settings, registry, new AuditLog(config.name(), clock));
    }

    /** As above, with the audit events going to {@code audit}. */
    public Gateway(GatewayConfig config, Federation federation, InstantSource clock, SessionStore store,
                   TieredStoreSettings settings, MeterRegistry registry, AuditLog audit) {
        this.config = config;
        this.federation = federation;
        this.clock = clock;
        this.hostCheck = new HostCheck(config, clock);
        this.tier = new TieredSessionStore(store, settings, config.name(), clock, registry, this::expired);
        this.table = new SessionTable(tier, hostCheck::expiry);
        this.events = new GatewayEvents(config.name(), registry, audit, config.realms().stream().map(r -> r.realm().name())
                .collect(java.util.stream.Collectors.toSet()), clock, table::size);
        this.limits = new SessionLimits(federation, config.name(), events);
        this.revocations = new Revocations(federation, config.name());
        this.migration = new Migration(config, federation, table, clock, limits);
        this.challenges = new Challenges(config.name(), clock, Duration.ofMinutes(1), Duration.ofSeconds(30), 200_000);
        this.admission = new AdmissionControl(config.name(), config.admission(), clock, registry);
        this.store = store;
        this.credentials = new Credentials(config, admission, events);
        this.subscription = federation.subscribe(config.name(), Federation.OwnershipListener.of((hash, newOwner) -> {
            migration.ownershipLost(hash, newOwner);
            hostCheck.forget(hash);
            events.migratedOut(hash, newOwner);
        }, this::revoked)); // a revoked session, in memory or only in storage, goes from both and is withdrawn
    }

    @Override
    public String name() {
        return config.name();
    }

    /** The gateway's configuration. */
    public GatewayConfig config() {
        return config;
    }

    /** The session held here, if any; for the admin view and tests. */
    public Optional<Session> session(SessionIdHash hash) {
        return table.get(hash);
    }

    /** How many sessions this gateway holds. */
    public int sessionCount() {
        return table.size();
    }

    @Override
    public SignInResult signIn(SignInRequest request) {
        return signIn(request, List.of(), IN_PROCESS);
    }

    /** The source address of sign-ins made in-process (tests, the demo), for the per-address throttle. */
    public static final String IN_PROCESS = "in-process";

    /**
     * Signs a user in. In a certificate realm the TLS client certificate chain is the credential and names the
     * user; the request's username and password are ignored there. Admission control comes first: a throttled
     * user name or address, or a gateway busy with other sign-ins, is refused before any password is hashed.
     *
     * @param clientCertificates the chain the client presented on its TLS connection, leaf first (may be empty)
     * @param source             the client's address, for the per-address throttle of failed sign-ins
     */
    public SignInResult signIn(SignInRequest request, List<X509Certificate> clientCertificates, String source) {
        try {
            return signInAt(request, clientCertificates, source);
        } catch (BatonException e) {
            events.signInFailed(request.realm(), request.username(), e, source);
            throw e;
        }
    }

    private SignInResult signInAt(SignInRequest request, List<X509Certificate> clientCertificates, String source) {
        credentials.realm(request.realm()); // an unknown realm is named first, as it was before browser sign-in came
        if (request.agentKey() == null || request.agentKey().isBlank()) {
            // Every later request of the session is proven with this key; a session without one could not be used.
            throw new BatonException(ResultCode.INVALID_REQUEST, "sign-in needs the agent's public key (agentKey): every"
                    + " request of the session is signed with its private key");
        }
        ProofOfPossession.publicKey(request.agentKey()); // INVALID_REQUEST naming the problem if unreadable
        Credentials.Verified user = credentials.check(request, clientCertificates, source);
        RealmBinding binding = user.binding();
        String username = user.user();
        AccessPolicy.Decision roles = user.decision();
        limits.admit(binding, username, null);
        SessionId id = SessionId.generate();
        Session session = Session.start(id.hash(), username, binding.realm().name(), binding.realm().authGroup(),
                binding.realm().kind(), roles.roles(), user.facts(), clock.instant(), name())
                .withRoles(roles.roles(), roles.remediation()).withAgentKey(request.agentKey());
        table.put(session);
        hostCheck.reported(session.hash(), request.posture());
        if (session.migratable()) {
            federation.publish(session, hostCheck.capabilities(session.hash()));
        }
        events.signedIn(session, source);
        return new SignInResult(id.reveal(), describe(session, "signed-in"));
    }

    /** The credential check of this gateway's sign-ins, for its browser sign-in pages. */
    public Credentials credentials() {
        return credentials;
    }

    /** The CAs of this gateway's certificate realms, whose certificates its TLS asks clients for. */
    public List<X509Certificate> clientCertificateAuthorities() {
        return config.clientCertificateAuthorities();
    }

    @Override
    public Challenge challenge() {
        return new Challenge(name(), challenges.issue());
    }

    @Override
    public AccessResult connect(ConnectRequest request) {
        long start = System.nanoTime();
        SessionIdHash hash = null;
        try {
            hash = SessionId.hashOf(request.sessionId());
            AccessResult result = connectChecked(hash, request);
            events.connected(hash, result, System.nanoTime() - start);
            return result;
        } catch (BatonException e) {
            events.connectRefused(hash, e);
            throw e;
        }
    }

    private AccessResult connectChecked(SessionIdHash hash, ConnectRequest request) {
        Challenges.Checked checked = challenges.check(request.challenge()); // remembered once the signature is verified
        Optional<Federation.Published> published = federation.lookup(hash);
        if (published.isPresent() && published.get().revoked()) {
            throw refuseRevoked(hash);
        }
        // Held by another gateway: only a copy in memory can be here (a stale one), so the store is not read,
        // which spares every migration a store round trip. Otherwise this may be a resume after a restart.
        boolean elsewhere = published.isPresent() && !published.get().owner().equals(name());
        Optional<Session> local = elsewhere ? table.held(hash) : table.get(hash);
        if (!elsewhere && local.isEmpty() && published.isPresent()) {
            published = federation.lookup(hash); // ours but not held: it expired just now (and was withdrawn)
        }
        if (local.isPresent() && !local.get().migratable()) {
            published = Optional.empty(); // never published: what the federation has under this hash is not ours
        }
        if (local.isPresent() && published.map(p -> p.owner().equals(name())).orElse(true)) {
            challenges.requireProof(local.get(), ProofOfPossession.CONNECT, request.challenge(), checked, request.signature());
            return describe(live(hash, s -> hostCheck.reevaluate(s.touchedAt(clock.instant()), request.posture())), "resumed");
        }
        if (local.isPresent()) {
            // Another gateway took it and its notification has not reached us yet: our copy is stale. Drop it
            // here only; the federation's data is the new owner's now.
            table.dropTakenOver(hash);
            hostCheck.forget(hash);
        }
        if (published.isEmpty() && local.isEmpty()) { // ended here? Then say how, not that it is unknown
            revocations.endedHere(hash).ifPresent(e -> { throw e; });
        }
        hostCheck.reported(hash, request.posture());
        Session arrived;
        try {
            arrived = migration.migrateIn(hash, published, request.posture(),
                    s -> challenges.requireProof(s, ProofOfPossession.CONNECT, request.challenge(), checked, request.signature()));
        } catch (RuntimeException e) {
            hostCheck.forget(hash);
            throw e;
        }
        return describe(arrived, "migrated");
    }

    /** The hash of a session held here whose agent proved, for {@code operation}, that it holds the key. */
    private SessionIdHash proven(SessionProof proof, String operation) {
        SessionIdHash hash = SessionId.hashOf(proof.sessionId());
        Challenges.Checked checked = challenges.check(proof.challenge());
        boolean inMemory = table.held(hash).isPresent();
        Session s = table.get(hash).orElseThrow(() -> revocations.notHeld(hash));
        if (!inMemory && s.migratable() && revocations.marked(hash)) {
            throw refuseRevoked(hash); // first use since a restart: revoked while this gateway was down
        }
        challenges.requireProof(s, operation, proof.challenge(), checked, proof.signature());
        return hash;
    }

    @Override
    public AccessResult access(SessionProof proof) {
        return describe(live(proven(proof, ACCESS), s -> s.touchedAt(clock.instant())), "active");
    }

    @Override
    public AccessResult heartbeat(SessionProof proof, Map<String, String> posture) {
        return describe(live(proven(proof, HEARTBEAT), s -> hostCheck.reevaluate(s.heartbeatAt(clock.instant()), posture)),
                "active");
    }

    @Override
    public void signOut(SessionProof proof) {
        SessionIdHash hash = proven(proof, SIGN_OUT);
        end(hash, "signed-out");
    }

    /**
     * The session after {@code change}, if it is held here and alive. Applies the Host Checker timeout first
     * (which may fall back to the remediation role), then the timeout rules; ends the session here and in the
     * federation if it is over. Republishes it when its roles changed.
     */
    private Session live(SessionIdHash hash, UnaryOperator<Session> change) {
        Session before = table.get(hash).orElseThrow(() -> revocations.notHeld(hash));
        Session s = endOnFailure(hash, () -> hostCheck.applyTimeout(before));
        TimeoutRules.Verdict verdict = TimeoutRules.verdict(s, options(s), config.kind(), clock);
        if (verdict != TimeoutRules.Verdict.ALIVE) {
            revocations.ended(hash, EndReasons.timeout(verdict, options(s)));
            end(hash, verdict.reason());
            throw revocations.endedHere(hash).orElseThrow();
        }
        Session after = endOnFailure(hash, () -> table.update(hash, cur -> change.apply(hostCheck.applyTimeout(cur)))
                .orElseThrow(() -> revocations.notHeld(hash)));
        if (!after.roles().equals(before.roles()) && after.migratable()) {
            federation.publish(after, hostCheck.capabilities(hash));
        }
        return after;
    }

    private Session endOnFailure(SessionIdHash hash, java.util.function.Supplier<Session> step) {
        try {
            return step.get();
        } catch (BatonException e) {
            if (e.code() == ResultCode.HOST_CHECK_FAILED) {
                end(hash, "host-check-failed");
            }
            throw e.at(name(), hash);
        }
    }

    /** Ends a session here: out of the table, out of the federation; {@code why} goes to the audit event. */
    private void end(SessionIdHash hash, String why) {
        revocations.ended(hash, EndReasons.of(why));
        table.remove(hash).ifPresent(s -> events.ended(s, why));
        hostCheck.forget(hash);
        federation.withdraw(hash, name());
    }

    /** A revoked session: ends a copy held here (in memory or in storage) and refuses the agent. */
    private BatonException refuseRevoked(SessionIdHash hash) {
        return revocations.refusal(hash, revoked(hash));
    }

    private boolean revoked(SessionIdHash hash) {
        revocations.ending(hash);
        return revoke(hash);
    }

    private SessionOptions options(Session s) {
        return config.access().optionsFor(s.roles());
    }

    private AccessResult describe(Session s, String outcome) {
        return new AccessResult(name(), s.user(), s.realm(), s.roles(), s.remediation(), s.startTime(),
                TimeoutRules.deadline(s, options(s), config.kind()), outcome);
    }

    /** A session reached its deadline in memory: withdraw it from the federation too. */
    private void expired(StoredSession s) {
        revocations.ended(s.session().hash(), EndReasons.timeout(TimeoutRules.verdict(s.session(), options(s.session()),
                config.kind(), clock), options(s.session())));
        events.ended(s.session(), "expired");
        hostCheck.forget(s.session().hash());
        federation.withdraw(s.session().hash(), name());
    }

    /** Ends a session held here on an operator's order, here, in storage and in the federation; false if not held. */
    public boolean revoke(SessionIdHash hash) {
        if (table.get(hash).isEmpty()) {
            return false;
        }
        end(hash, "revoked");
        return true;
    }

    /** A page of the live sessions held here that {@code filter} selects, from storage (see {@link SessionStore#find}). */
    public SessionPage sessions(SessionFilter filter, Optional<SessionPage.Cursor> after, int limit) {
        return store.find(filter.withOwner(name()), clock.instant(), after, limit);
    }

    /** How many live sessions held here {@code filter} selects. */
    public long countSessions(SessionFilter filter) {
        return store.count(filter.withOwner(name()), clock.instant());
    }

    /** Evicts sessions that reached their deadline now (normally done by {@link #startMaintenance}). */
    public void evictExpired() {
        tier.evictExpired();
    }

    /** Schedules the tier's activity flushes and expiry sweeps on {@code scheduler}. */
    public void startMaintenance(ScheduledExecutorService scheduler) {
        tier.start(scheduler);
        scheduler.scheduleWithFixedDelay(events::flushLog, 10, 10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Whether external storage answered the last write. */
    public boolean storeAvailable() {
        return tier.storeAvailable();
    }

    /** Stops listening to the federation and writes pending activity to the store. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            log.warn("closing the federation subscription of {} failed", name(), e);
        }
        tier.close();
    }
}
