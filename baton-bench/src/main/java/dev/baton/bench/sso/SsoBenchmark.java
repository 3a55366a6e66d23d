package dev.baton.bench.sso;

import dev.baton.bench.Benchmark;
import dev.baton.bench.Results;
import dev.baton.bench.RunMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Browser single sign-on, Baton's OpenID Connect provider against Keycloak on the same machine in the same run:
 * authorization code flows per second with an existing authentication session ({@code sso_flow}: authorize with
 * the session cookie, code, token) and full sign-ins per second ({@code signin}: authorize, sign-in page, the
 * form posted with the password, code, token). Both providers keep their data in H2 and hash passwords with
 * Argon2id at the same cost, read back from each and stated in the output.
 *
 * <p>Both workloads run {@value #CLIENTS} simulated browsers at once (virtual threads, each its own cookie jar,
 * {@link BrowserClient}), the same code against both providers; system property {@code baton.bench.sso.clients}
 * changes the number, and {@code baton.bench.sso.keycloak=false} leaves Keycloak out. Each measured phase
 * follows a warm-up (in the first round three times as long, and longer while the rate still climbs, up to six
 * times: {@link FlowLoad}); providers take turns phase by phase and round by round ({@link RunMode#rounds()}),
 * and the median round is reported.
 */
public final class SsoBenchmark implements Benchmark {
    static final int CLIENTS = 16;

    @Override
    public boolean run(RunMode mode, Results results) throws Exception {
        SsoFixture fixture = SsoFixture.STANDARD;
        int clients = Integer.getInteger("baton.bench.sso.clients", CLIENTS);
        results.note("sso: " + clients + " simulated browsers at once per provider; warm-up " + mode.warmUp().toSeconds()
                + " s (in the first round " + mode.warmUp().multipliedBy(3).toSeconds() + " s, longer while the rate still climbs by more than "
                + FlowLoad.SETTLED_PERCENT + "% from one " + mode.phase().toSeconds() + " s window to the next, up to "
                + mode.warmUp().multipliedBy(6).toSeconds() + " s), then " + mode.phase().toSeconds() + " s measured, "
                + mode.rounds() + " round(s)");
        results.figure("clients", clients);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Map<String, OidcTarget> targets = new LinkedHashMap<>();
            Optional<BatonSsoGateway> baton = BatonSsoGateway.start(fixture, results::note);
            baton.ifPresent(b -> {
                started.add(b);
                targets.put("baton", b.target(fixture));
                b.passwordHashCost().report("baton", results);
            });
            Optional<KeycloakPeer> keycloak = Boolean.parseBoolean(System.getProperty("baton.bench.sso.keycloak", "true"))
                    ? KeycloakPeer.start(fixture, results::note) : skipped(results);
            keycloak.ifPresentOrElse(k -> {
                started.add(k);
                targets.put(KeycloakPeer.NAME, k.target(fixture));
                k.passwordHashCost().report(KeycloakPeer.NAME, results);
            }, () -> results.state("peer." + KeycloakPeer.NAME, "absent"));
            measure(targets, clients, mode, results);
            baton.ifPresent(b -> results.note(b.consoleSummary()));
            keycloak.ifPresent(k -> results.note(k.consoleSummary()));
            return baton.isPresent();
        } finally {
            for (AutoCloseable c : started.reversed()) {
                c.close();
            }
        }
    }

    private static Optional<KeycloakPeer> skipped(Results results) {
        results.note(KeycloakPeer.NAME + ": not started (-Dbaton.bench.sso.keycloak=false)");
        return Optional.empty();
    }

    private static void measure(Map<String, OidcTarget> targets, int clients, RunMode mode, Results results)
            throws InterruptedException {
        SSLContext tls = dev.baton.agent.AgentTls.trustAll(); // loopback only: Baton's generated certificate
        Map<String, FlowLoad> loads = new LinkedHashMap<>();
        targets.forEach((name, target) -> {
            results.note("target " + target);
            loads.put(name, new FlowLoad(target, tls, clients));
        });
        workload(FlowLoad.Workload.SSO_FLOW, "sso_flow", loads, mode, results);
        workload(FlowLoad.Workload.SIGN_IN, "signin", loads, mode, results);
    }

    private static void workload(FlowLoad.Workload workload, String figure, Map<String, FlowLoad> loads, RunMode mode,
                                 Results results) throws InterruptedException {
        Map<String, double[]> rates = new LinkedHashMap<>();
        Map<String, Long> failures = new LinkedHashMap<>();
        for (int round = 0; round < mode.rounds(); round++) {
            for (var load : loads.entrySet()) {
                // A JVM just started (Keycloak's more than most) is still compiling: the first round warms up longer,
                // until the rate settles.
                FlowLoad.WarmUp warmUp = round == 0 ? new FlowLoad.WarmUp(mode.warmUp().multipliedBy(3), mode.warmUp().multipliedBy(6))
                        : new FlowLoad.WarmUp(mode.warmUp(), mode.warmUp());
                FlowLoad.Outcome outcome = load.getValue().run(workload, warmUp, mode.phase());
                rates.computeIfAbsent(load.getKey(), k -> new double[mode.rounds()])[round] = outcome.perSecond();
                failures.merge(load.getKey(), outcome.failures(), Long::sum);
                results.note(figure + " " + load.getKey() + " round " + (round + 1) + ": " + outcome.flows() + " flows in "
                        + outcome.seconds() + " s after " + Math.round(outcome.warmUpSeconds()) + " s of warm-up, "
                        + outcome.failures() + " failed"
                        + (outcome.firstFailure() == null ? "" : "; first failure: " + outcome.firstFailure()));
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        rates.forEach((name, perRound) -> {
            double median = median(perRound);
            medians.put(name, median);
            results.figure(figure + "." + name + "_per_second", median);
            results.figure(figure + "." + name + "_failures", failures.get(name));
        });
        if (medians.containsKey("baton") && medians.containsKey(KeycloakPeer.NAME)) {
            results.ratio(figure, KeycloakPeer.NAME, medians.get("baton"), medians.get(KeycloakPeer.NAME));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
