package dev.baton.sso;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider's counters, {@code baton_sso_requests_total{endpoint,outcome}}: outcomes are a fixed set of words
 * chosen here or a result code, never anything a browser sent.
 */
final class SsoMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    SsoMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void authorize(String outcome) {
        count("authorize", outcome);
    }

    void signIn(String outcome) {
        count("sign-in", outcome);
    }

    void token(String outcome) {
        count("token", outcome);
    }

    void userInfo(String outcome) {
        count("userinfo", outcome);
    }

    void logout(String outcome) {
        count("logout", outcome);
    }

    void backChannel(String outcome) {
        count("backchannel-logout", outcome);
    }

    private void count(String endpoint, String outcome) {
        counters.computeIfAbsent(endpoint + "\u0000" + outcome, k -> Counter.builder("baton.sso.requests")
                .description("OpenID Connect provider requests by endpoint and outcome")
                .tag("endpoint", endpoint).tag("outcome", outcome).register(registry)).increment();
    }
}
