package dev.baton.gateway;

import dev.baton.admin.AuditLog;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionIdHash;
import dev.baton.core.api.AccessResult;
import dev.baton.core.Session;
import dev.baton.gateway.admission.LogSafe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * What a gateway tells its operators: audit events (one JSON line each, session by hash, see {@link AuditLog}),
 * a log line per event at the default level, rate-limited ({@link EventLog}), and metrics. It counts sign-ins by realm and outcome, migrations in and out and refusals
 * by reason, sessions held, session length and migration latency. In Prometheus these are
 * {@code baton_signins_total}, {@code baton_migrations_total}, {@code baton_sessions_held},
 * {@code baton_session_length_seconds} and {@code baton_migration_duration_seconds} (docs/operations.md).
 * Labels take only values from the configuration or from {@link ResultCode}: a realm name an agent made up is
 * counted as {@code unknown}, so no request can add a time series. Thread-safe.
 */
final class GatewayEvents {
    private final MeterRegistry registry;
    /** Bounded: names and tag values come from the configuration's realms and from {@link ResultCode}. */
    private final java.util.concurrent.ConcurrentMap<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();
    private final AuditLog audit;
    private final Set<String> realms;
    private final InstantSource clock;
    private final DistributionSummary sessionLength;
    private final Timer migrationTime;
    private final EventLog log;
    private final String gateway;

    GatewayEvents(String gateway, MeterRegistry registry, AuditLog audit, Set<String> realms, InstantSource clock, IntSupplier held) {
        this.gateway = gateway;
        this.log = new EventLog(gateway, clock);
        this.registry = registry;
        this.audit = audit;
        this.realms = Set.copyOf(realms);
        this.clock = clock;
        Gauge.builder("baton.sessions.held", held::getAsInt).description("sessions this gateway holds").register(registry);
        this.sessionLength = DistributionSummary.builder("baton.session.length").baseUnit("seconds")
                .description("length of sessions that ended on this gateway, from their first sign-in")
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(7.0 * 24 * 3600)
                .register(registry);
        this.migrationTime = Timer.builder("baton.migration.duration")
                .description("time to take in a session from another gateway, proof and federation claim included")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    void signedIn(Session s, String source) {
        count("baton.signins", "realm", s.realm(), null);
        audit.event("sign-in", "outcome", "ok", "user", s.user(), "realm", s.realm(), "session", s.hash().hex(),
                "roles", List.copyOf(s.roles()), "source", source);
        log.info(EventLog.Kind.SIGN_IN, "sign-in: {} at {} (realm {}, session {}, roles {}, from {})", LogSafe.name(s.user()), gateway,
                s.realm(), s.hash().abbreviated(), s.roles(), LogSafe.name(source));
    }

    void signInFailed(String realm, String user, BatonException e, String source) {
        count("baton.signins", "realm", realms.contains(realm) ? realm : "unknown", e.code());
        audit.event("sign-in", "outcome", label(e.code()), "user", user, "realm", realms.contains(realm) ? realm : null,
                "reason", e.getMessage(), "source", source);
        log.info(EventLog.Kind.REFUSAL, "sign-in refused: {} at {} (realm {}, from {}): {}: {}", LogSafe.name(user), gateway,
                realms.contains(realm) ? realm : "unknown", LogSafe.name(source), e.code(), e.getMessage());
    }

    /** A connect that took a session in ({@code migrated}) or resumed one held here. */
    void connected(SessionIdHash hash, AccessResult result, long nanos) {
        boolean migrated = result.outcome().equals("migrated");
        count("baton.migrations", "direction", migrated ? "in" : "resumed", null);
        if (migrated) {
            migrationTime.record(Duration.ofNanos(nanos));
            audit.event("migration-in", "user", result.user(), "session", hash.hex(), "roles", List.copyOf(result.roles()));
            log.info(EventLog.Kind.MIGRATION_IN, "migration in: session {} of {} to {} (realm {}, roles {})", hash.abbreviated(),
                    LogSafe.name(result.user()), gateway, result.realm(), result.roles());
        }
    }

    void connectRefused(SessionIdHash hash, BatonException e) {
        count("baton.migrations", "direction", "in", e.code());
        audit.event("refusal", "operation", "connect", "outcome", label(e.code()), "session", hash == null ? null : hash.hex(),
                "reason", e.getMessage());
        log.info(EventLog.Kind.REFUSAL, "connect refused: session {} at {}: {}: {}", hash == null ? "(malformed id)" : hash.abbreviated(),
                gateway, e.code(), e.getMessage());
    }

    void migratedOut(SessionIdHash hash, String newOwner) {
        count("baton.migrations", "direction", "out", null);
        audit.event("migration-out", "session", hash.hex(), "to", newOwner);
        log.info(EventLog.Kind.MIGRATION_OUT, "migration out: session {} moved from {} to {}", hash.abbreviated(), gateway,
                LogSafe.name(newOwner));
    }

    /** A sign-in or migration found {@code user} at the realm's limit; under end-oldest {@code oldest} are revoked. */
    void limitHit(String user, String realm, SessionLimit limit, int held, List<Federation.Published> oldest) {
        audit.event("session-limit", "user", user, "realm", realm, "limit", limit.maxPerUser(), "held", held,
                "policy", limit.policy(), "revoked", limit.policy() == SessionLimit.Policy.END_OLDEST
                        ? oldest.stream().map(p -> p.hash().hex()).toList() : null);
    }

    /** A session ended here: signed out, timed out, revoked, or failed its Host Check. */
    void ended(Session s, String why) {
        sessionLength.record(Math.max(0, Duration.between(s.startTime(), clock.instant()).toSeconds()));
        audit.event("session-end", "user", s.user(), "session", s.hash().hex(), "reason", why);
        log.info(EventLog.Kind.END, "session end: session {} of {} on {}: {}", s.hash().abbreviated(), LogSafe.name(s.user()), gateway, why);
    }

    /** Writes the summary of event lines the rate limit held back, if one is due (on the maintenance timer). */
    void flushLog() {
        log.flush();
    }

    /** Counts one sign-in or migration; each counter is built once, not on every request. */
    private void count(String name, String tag, String value, ResultCode outcome) {
        counters.computeIfAbsent(name + '|' + value + '|' + outcome, k -> Counter.builder(name)
                .description(name.equals("baton.signins") ? "sign-ins by realm and outcome"
                        : "migrations by direction (in, out, resumed) and outcome")
                .tag(tag, value).tag("outcome", label(outcome)).register(registry)).increment();
    }

    private static String label(ResultCode code) {
        return code == null ? "ok" : code.name().toLowerCase(Locale.ROOT);
    }
}
