package dev.baton.gateway;

import dev.baton.core.ResultCode;
import dev.baton.core.Session;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * What a gateway counts for its operators: sign-ins by realm and outcome, migrations in and out and refusals
 * by reason, sessions held, session length and migration latency. In Prometheus these are
 * {@code baton_signins_total}, {@code baton_migrations_total}, {@code baton_sessions_held},
 * {@code baton_session_length_seconds} and {@code baton_migration_duration_seconds} (docs/operations.md).
 * Labels take only values from the configuration or from {@link ResultCode}: a realm name an agent made up is
 * counted as {@code unknown}, so no request can add a time series. Thread-safe.
 */
final class GatewayMetrics {
    private final MeterRegistry registry;
    private final Set<String> realms;
    private final InstantSource clock;
    private final DistributionSummary sessionLength;
    private final Timer migrationTime;

    GatewayMetrics(MeterRegistry registry, Set<String> realms, InstantSource clock, IntSupplier held) {
        this.registry = registry;
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

    /** A sign-in at {@code realm}: {@code outcome} null when it succeeded, else why it failed. */
    void signIn(String realm, ResultCode outcome) {
        Counter.builder("baton.signins").description("sign-ins by realm and outcome")
                .tag("realm", realms.contains(realm) ? realm : "unknown").tag("outcome", label(outcome))
                .register(registry).increment();
    }

    /** A connect that took a session in or resumed it ({@code outcome} null), or was refused for {@code outcome}. */
    void migration(String direction, ResultCode outcome) {
        Counter.builder("baton.migrations").description("migrations by direction (in, out, resumed) and outcome")
                .tag("direction", direction).tag("outcome", label(outcome)).register(registry).increment();
    }

    void migrationTook(long nanos) {
        migrationTime.record(Duration.ofNanos(nanos));
    }

    void ended(Session s) {
        sessionLength.record(Math.max(0, Duration.between(s.startTime(), clock.instant()).toSeconds()));
    }

    private static String label(ResultCode code) {
        return code == null ? "ok" : code.name().toLowerCase(Locale.ROOT);
    }
}
