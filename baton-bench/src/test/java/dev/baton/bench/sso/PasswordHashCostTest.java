package dev.baton.bench.sso;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHashCostTest {
    @Test
    void keycloaksCredentialDataGivesItsArgon2idCost() {
        String data = "{\"hashIterations\":5,\"algorithm\":\"argon2\",\"additionalParameters\":{\"hashLength\":[\"32\"],"
                + "\"memory\":[\"7168\"],\"type\":[\"id\"],\"version\":[\"1.3\"],\"parallelism\":[\"1\"]}}";

        assertThat(PasswordHashCost.ofKeycloakCredential(data)).isEqualTo(new PasswordHashCost("argon2id", 7168, 5, 1));
    }

    @Test
    void aBatonHashOfKeycloaksDefaultCostHasTheSameCost() {
        String phc = dev.baton.core.Argon2id.hash("pw".toCharArray(), BatonSsoGateway.MEMORY_KIB, BatonSsoGateway.ITERATIONS);

        assertThat(PasswordHashCost.ofPhc(phc)).isEqualTo(new PasswordHashCost("argon2id", 7168, 5, 1));
    }
}
