package dev.baton.gateway;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalAccountsTest {
    final LocalAccounts accounts = new LocalAccounts(1024, 1).add("alice", "s3cret".toCharArray(), Map.of("title", List.of("eng")));

    @Test
    void keepsOnlyAnArgon2idHashOfThePassword() {
        assertThat(accounts.storedHash("alice")).get().asString().startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain("s3cret");
    }

    @Test
    void rightPasswordAuthenticatesAndWrongOrUnknownDoNot() {
        assertThat(accounts.authenticate("alice", "s3cret".toCharArray())).get().extracting(e -> e.attributes().get("title")).isEqualTo(List.of("eng"));
        assertThat(accounts.authenticate("alice", "s3cret ".toCharArray())).isEmpty();
        assertThat(accounts.authenticate("bob", "s3cret".toCharArray())).isEmpty();
        assertThat(accounts.authenticate("alice", null)).isEmpty();
        assertThat(accounts.authenticate("alice", new char[0])).isEmpty();
    }

    @Test
    void findAnswersInboundLookUpsWithoutAPassword() {
        assertThat(accounts.find("alice")).isPresent();
        assertThat(accounts.find("bob")).isEmpty();
    }

    @Test
    void sameSaltNeverRepeats() {
        LocalAccounts twice = new LocalAccounts(1024, 1).add("a", "p".toCharArray(), Map.of()).add("b", "p".toCharArray(), Map.of());
        assertThat(twice.storedHash("a")).isNotEqualTo(twice.storedHash("b"));
    }
}
