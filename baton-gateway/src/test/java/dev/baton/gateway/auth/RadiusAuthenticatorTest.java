package dev.baton.gateway.auth;

import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RADIUS and ACE-through-RADIUS sign-in against a real, throwaway FreeRADIUS. */
class RadiusAuthenticatorTest extends PasswordAuthenticatorContract {
    @RegisterExtension
    static final FreeRadiusServer RADIUS = new FreeRadiusServer("""
            alice Cleartext-Password := "wonderland"
            tokenuser Cleartext-Password := "123456"
            "émile" Cleartext-Password := "mot de passe à accents"
            """);

    private final List<RadiusAuthenticator> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(RadiusAuthenticator::close);
    }

    private RadiusAuthenticator open(RadiusConfig config, AuthServerKind kind) {
        RadiusAuthenticator a = new RadiusAuthenticator(config, kind);
        opened.add(a);
        return a;
    }

    @Override
    dev.baton.gateway.Authenticator server() {
        return radius();
    }

    @Override
    String knownUser() {
        return "alice";
    }

    @Override
    String rightPassword() {
        return "wonderland";
    }

    private RadiusAuthenticator radius() {
        return open(RadiusConfig.of(List.of(RADIUS.address()), FreeRadiusServer.SECRET).withTimeout(Duration.ofSeconds(2), 1),
                AuthServerKind.RADIUS);
    }

    @Test
    void accessAcceptSignsInWithNoAttributes() {
        assertThat(radius().authenticate("alice", "wonderland".toCharArray())).get().satisfies(e -> {
            assertThat(e.name()).isEqualTo("alice");
            assertThat(e.attributes()).isEmpty();
        });
    }

    @Test
    void accessRejectForAWrongPasswordOrUnknownUserIsEmpty() {
        RadiusAuthenticator radius = radius();
        assertThat(radius.authenticate("alice", "Wonderland".toCharArray())).isEmpty();
        assertThat(radius.authenticate("nobody", "wonderland".toCharArray())).isEmpty();
        assertThat(radius.authenticate("alice", new char[0])).isEmpty();
    }

    @Test
    void nonAsciiUsernamesAndPasswordsTravelAsUtf8() {
        assertThat(radius().authenticate("émile", "mot de passe à accents".toCharArray())).isPresent();
    }

    @Test
    void aceSignsInWithTheTokenPasscodeThroughRadius() {
        RadiusAuthenticator ace = open(RadiusConfig.of(List.of(RADIUS.address()), FreeRadiusServer.SECRET), AuthServerKind.ACE);
        assertThat(ace.authenticate("tokenuser", "123456".toCharArray())).isPresent();
        assertThat(ace.authenticate("tokenuser", "654321".toCharArray())).isEmpty();
    }

    @Test
    void findYieldsTheUserWithNoAttributesWithoutAskingTheServer() throws Exception {
        RadiusAuthenticator down = open(RadiusConfig.of(List.of("127.0.0.1:" + FreeRadiusServer.freeUdpPort()), "x"), AuthServerKind.RADIUS);
        assertThat(down.find("anyone")).get().satisfies(e -> assertThat(e.attributes()).isEmpty());
        assertThat(down.find(" ")).isEmpty();
    }

    @Test
    void anUnansweredServerIsUnavailableNotAWrongPassword() throws Exception {
        RadiusConfig silent = RadiusConfig.of(List.of("127.0.0.1:" + FreeRadiusServer.freeUdpPort()), FreeRadiusServer.SECRET)
                .withTimeout(Duration.ofMillis(200), 1);
        assertThatThrownBy(() -> open(silent, AuthServerKind.RADIUS).authenticate("alice", "wonderland".toCharArray()))
                .isInstanceOfSatisfying(BatonException.class, e -> {
                    assertThat(e.code()).isEqualTo(ResultCode.UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo(dev.baton.gateway.Authenticator.UNAVAILABLE_REASON)
                            .doesNotContain("127.0.0.1"); // the detail (servers, attempts) is in the gateway's log
                });
    }

    @Test
    void theNextServerIsAskedWhenTheFirstDoesNotAnswer() throws Exception {
        RadiusConfig failover = new RadiusConfig(List.of("127.0.0.1:" + FreeRadiusServer.freeUdpPort(), RADIUS.address()),
                FreeRadiusServer.SECRET, Duration.ofMillis(200), 0, "gw1");
        assertThat(open(failover, AuthServerKind.RADIUS).authenticate("alice", "wonderland".toCharArray())).isPresent();
    }

    @Test
    void aWrongSharedSecretNeverSignsAnyoneIn() {
        RadiusAuthenticator wrongSecret = open(RadiusConfig.of(List.of(RADIUS.address()), "not-the-secret")
                .withTimeout(Duration.ofMillis(300), 0), AuthServerKind.RADIUS);
        // FreeRADIUS drops a request whose Message-Authenticator does not verify, so no answer comes back.
        assertThatThrownBy(() -> wrongSecret.authenticate("alice", "wonderland".toCharArray()))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.UNAVAILABLE));
    }

    @Test
    void configurationErrorsNameTheKey() {
        assertThatThrownBy(() -> RadiusConfig.of(List.of(), "s")).hasMessageStartingWith("radius.servers:");
        assertThatThrownBy(() -> RadiusConfig.of(List.of("h:0"), "s")).hasMessageStartingWith("radius.servers:");
        assertThatThrownBy(() -> RadiusConfig.of(List.of("h"), "")).hasMessageStartingWith("radius.secret:");
        assertThatThrownBy(() -> RadiusConfig.of(List.of("h"), "s").withTimeout(Duration.ofSeconds(-1), 1)).hasMessageStartingWith("radius.timeout:");
        assertThatThrownBy(() -> RadiusConfig.of(List.of("h"), "s").withTimeout(Duration.ofSeconds(1), -1)).hasMessageStartingWith("radius.retries:");
        assertThatThrownBy(() -> new RadiusAuthenticator(RadiusConfig.of(List.of("h"), "s"), AuthServerKind.LDAP)).hasMessageStartingWith("kind:");
        assertThat(RadiusConfig.of(List.of("h"), "hunter2").toString()).doesNotContain("hunter2");
    }
}
