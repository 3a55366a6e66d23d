package dev.baton.bench.sso;

import dev.baton.bench.Benchmark;
import dev.baton.bench.Results;
import dev.baton.bench.RunMode;
import java.util.ArrayList;
import java.util.Comparator;
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
 * changes the number, {@code baton.bench.sso.rounds} the rounds, and {@code baton.bench.sso.keycloak=false} leaves Keycloak out. Each measured phase
 * follows a warm-up (in the first round longer, and longer still while the rate climbs: {@link #firstWarmUp},
 * {@link FlowLoad}); providers take turns phase by phase and round by round ({@link RunMode#rounds()}),
 * and the median round is reported, with the provider process's CPU time per flow in that round
 * ({@code *_cpu_ms_per_flow}: on a busy machine a steadier comparison than the rates).
 */
public final class SsoBenchmark implements Benchmark {
    static final int CLIENTS = 16;

    @Override
    public boolean run(RunMode mode, Results results) throws Exception {
        SsoFixture fixture = SsoFixture.STANDARD;
        int clients = Integer.getInteger("baton.bench.sso.clients", CLIENTS);
        FlowLoad.WarmUp first = firstWarmUp(mode);
        results.note("sso: " + clients + " simulated browsers at once per provider; warm-up " + mode.warmUp().toSeconds()
                + " s (in the first round " + first.min().toSeconds() + " s, longer while the rate still climbs by more than "
                + FlowLoad.SETTLED_PERCENT + "% from one " + mode.phase().toSeconds() + " s window to the next, up to "
                + first.max().toSeconds() + " s), then " + mode.phase().toSeconds() + " s measured, " + rounds(mode) + " round(s)");
        results.figure("clients", clients);
        List<ProviderUnderTest> providers = new ArrayList<>();
        try {
            Optional<BatonSsoGateway> baton = BatonSsoGateway.start(fixture, results::note);
            baton.ifPresent(providers::add);
            Optional<KeycloakPeer> keycloak = Boolean.parseBoolean(System.getProperty("baton.bench.sso.keycloak", "true"))
                    ? KeycloakPeer.start(fixture, results::note) : skipped(results);
            keycloak.ifPresentOrElse(providers::add, () -> results.state("peer." + KeycloakPeer.NAME, "absent"));
            providers.forEach(p -> p.passwordHashCost().report(p.name(), results));
            measure(providers, fixture, clients, mode, results);
            providers.forEach(p -> results.note(p.consoleSummary()));
            return baton.isPresent();
        } finally {
            for (ProviderUnderTest p : providers.reversed()) {
                p.close();
            }
        }
    }

    /**
     * The first round's warm-up: at least 60 s, up to 120 s while the rate still climbs (a full run; Keycloak's
     * code flows still got faster round after round with 30 s), or 6 to 12 s with {@code --quick}.
     */
    static FlowLoad.WarmUp firstWarmUp(RunMode mode) {
        int times = mode == RunMode.QUICK ? 3 : 6;
        return new FlowLoad.WarmUp(mode.warmUp().multipliedBy(times), mode.warmUp().multipliedBy(2L * times));
    }

    /** The mode's rounds, or the system property {@code baton.bench.sso.rounds} (at least 1). */
    static int rounds(RunMode mode) {
        return Math.max(1, Integer.getInteger("baton.bench.sso.rounds", mode.rounds()));
    }

    private static Optional<KeycloakPeer> skipped(Results results) {
        results.note(KeycloakPeer.NAME + ": not started (-Dbaton.bench.sso.keycloak=false)");
        return Optional.empty();
    }

    private static void measure(List<ProviderUnderTest> providers, SsoFixture fixture, int clients, RunMode mode,
                                Results results) throws InterruptedException {
        SSLContext tls = dev.baton.agent.AgentTls.trustAll(); // loopback only: Baton's generated certificate
        Map<String, FlowLoad> loads = new LinkedHashMap<>();
        for (ProviderUnderTest p : providers) {
            OidcTarget target = p.target(fixture);
            results.note("target " + target);
            loads.put(p.name(), new FlowLoad(target, tls, clients, p.process()));
        }
        workload(FlowLoad.Workload.SSO_FLOW, "sso_flow", loads, mode, results);
        workload(FlowLoad.Workload.SIGN_IN, "signin", loads, mode, results);
    }

    /**
     * Runs one workload on every provider, round by round, and reports each provider's median round: flows per
     * second, the provider's CPU milliseconds per flow in that round, failures in all rounds; then the ratio.
     */
    private static void workload(FlowLoad.Workload workload, String figure, Map<String, FlowLoad> loads, RunMode mode,
                                 Results results) throws InterruptedException {
        Map<String, List<FlowLoad.Outcome>> outcomes = new LinkedHashMap<>();
        for (int round = 0; round < rounds(mode); round++) {
            // A JVM just started (Keycloak's more than most) is still compiling: the first round warms up longer,
            // until the rate settles.
            FlowLoad.WarmUp warmUp = round == 0 ? firstWarmUp(mode) : new FlowLoad.WarmUp(mode.warmUp(), mode.warmUp());
            for (var load : loads.entrySet()) {
                FlowLoad.Outcome o = load.getValue().run(workload, warmUp, mode.phase());
                outcomes.computeIfAbsent(load.getKey(), k -> new ArrayList<>()).add(o);
                results.note(figure + " " + load.getKey() + " round " + (round + 1) + ": " + o.flows() + " flows in " + o.seconds()
                        + " s after " + Math.round(o.warmUpSeconds()) + " s of warm-up, server CPU "
                        + String.format(java.util.Locale.ROOT, "%.2f", o.serverCpuMillisPerFlow()) + " ms per flow, " + o.failures() + " failed"
                        + (o.firstFailure() == null ? "" : "; first failure: " + o.firstFailure()));
            }
        }
        Map<String, FlowLoad.Outcome> medians = new LinkedHashMap<>();
        outcomes.forEach((name, all) -> {
            List<FlowLoad.Outcome> sorted = all.stream().sorted(Comparator.comparingDouble(FlowLoad.Outcome::perSecond)).toList();
            FlowLoad.Outcome median = sorted.get(sorted.size() / 2);
            medians.put(name, median);
            results.figure(figure + "." + name + "_per_second", median.perSecond());
            if (Double.isFinite(median.serverCpuMillisPerFlow())) {
                results.figure(figure + "." + name + "_cpu_ms_per_flow", median.serverCpuMillisPerFlow());
            }
            results.figure(figure + "." + name + "_failures", all.stream().mapToLong(FlowLoad.Outcome::failures).sum());
        });
        FlowLoad.Outcome baton = medians.get(BatonSsoGateway.NAME);
        FlowLoad.Outcome keycloak = medians.get(KeycloakPeer.NAME);
        if (baton != null && keycloak != null) {
            results.ratio(figure, KeycloakPeer.NAME, baton.perSecond(), keycloak.perSecond());
            if (Double.isFinite(baton.serverCpuMillisPerFlow()) && Double.isFinite(keycloak.serverCpuMillisPerFlow())) {
                // CPU per flow: below 1 favours Baton.
                results.ratio(figure + "_cpu_ms_per_flow", KeycloakPeer.NAME, baton.serverCpuMillisPerFlow(),
                        keycloak.serverCpuMillisPerFlow());
            }
        }
    }
}
