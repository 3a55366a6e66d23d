package dev.baton.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the console's dashboard charts, read once every few seconds: the sessions held now, and the sign-ins
 * and migrations counted since start (the console turns these into per-minute counts over the last hour).
 */
public interface DashboardSource {
    /** Sessions held now. */
    long sessionsHeld();

    /** Successful sign-ins since start. */
    long signIns();

    /** Migrations that arrived here (or, on a federation server, that it saw) since start. */
    long migrations();

    /**
     * Reads a gateway's Micrometer meters: the gauge {@code baton.sessions.held}, the counter
     * {@code baton.signins} with outcome {@code ok}, and {@code baton.migrations} with direction {@code in} and
     * outcome {@code ok}. Meters not (yet) registered count as 0.
     */
    static DashboardSource of(MeterRegistry registry) {
        return new DashboardSource() {
            @Override
            public long sessionsHeld() {
                return Math.round(registry.find("baton.sessions.held").gauges().stream().mapToDouble(Gauge::value).sum());
            }

            @Override
            public long signIns() {
                return Math.round(registry.find("baton.signins").tag("outcome", "ok").counters().stream()
                        .mapToDouble(Counter::count).sum());
            }

            @Override
            public long migrations() {
                return Math.round(registry.find("baton.migrations").tags("direction", "in", "outcome", "ok")
                        .counters().stream().mapToDouble(Counter::count).sum());
            }
        };
    }
}
