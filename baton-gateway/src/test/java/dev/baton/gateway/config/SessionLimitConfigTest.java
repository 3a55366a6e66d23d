package dev.baton.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.gateway.SessionLimit;
import org.junit.jupiter.api.Test;

/** The realm keys max-sessions-per-user and session-limit-policy (docs/gateway.md). */
class SessionLimitConfigTest {
    static String realmWith(String keys) {
        return GatewayConfigFileTest.VALID.replace("    remediation-role: remediation", "    remediation-role: remediation\n" + keys);
    }

    @Test
    void theLimitAndItsPolicyReachTheRealm() {
        GatewaySettings s = new GatewayConfigFile().parse(realmWith("""
                    max-sessions-per-user: 3
                    session-limit-policy: end-oldest
                """));
        assertThat(s.gateway().realms().get(0).limit()).isEqualTo(new SessionLimit(3, SessionLimit.Policy.END_OLDEST));
    }

    @Test
    void withoutTheKeysThereIsNoLimitAndTheDefaultPolicyDeniesNewSessions() {
        assertThat(new GatewayConfigFile().parse(GatewayConfigFileTest.VALID).gateway().realms().get(0).limit())
                .isEqualTo(SessionLimit.NONE);
        assertThat(new GatewayConfigFile().parse(realmWith("    max-sessions-per-user: 1\n")).gateway().realms().get(0)
                .limit()).isEqualTo(new SessionLimit(1, SessionLimit.Policy.DENY_NEW));
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThat(GatewayConfigFileTest.failure(realmWith("    session-limit-policy: kill-all\n")).getMessage())
                .contains("session-limit-policy").contains("deny-new or end-oldest");
        assertThat(GatewayConfigFileTest.failure(realmWith("    max-sessions-per-user: -1\n")).getMessage())
                .contains("max-sessions-per-user");
    }
}
