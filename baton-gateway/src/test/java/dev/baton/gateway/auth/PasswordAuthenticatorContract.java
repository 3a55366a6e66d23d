package dev.baton.gateway.auth;

import dev.baton.gateway.Authenticator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every password-checking authentication server promises, stated once; each backend's test class
 * extends this and says how to reach a user it knows.
 */
abstract class PasswordAuthenticatorContract {

    /** A server that knows {@link #knownUser()} with {@link #rightPassword()}; the subclass closes it. */
    abstract Authenticator server();

    abstract String knownUser();

    abstract String rightPassword();

    @Test
    void contractRightPasswordSignsInAsTheKnownUser() {
        assertThat(server().authenticate(knownUser(), rightPassword().toCharArray())).isPresent();
    }

    @Test
    void contractAlmostRightPasswordsAreRefused() {
        Authenticator server = server();
        assertThat(server.authenticate(knownUser(), (rightPassword() + "x").toCharArray())).isEmpty();
        assertThat(server.authenticate(knownUser(), rightPassword().substring(1).toCharArray())).isEmpty();
    }

    @Test
    void contractMissingCredentialsAreRefusedWithoutAnError() {
        Authenticator server = server();
        assertThat(server.authenticate(knownUser(), new char[0])).isEmpty();
        assertThat(server.authenticate(knownUser(), null)).isEmpty();
        assertThat(server.authenticate("", rightPassword().toCharArray())).isEmpty();
        assertThat(server.authenticate(null, rightPassword().toCharArray())).isEmpty();
        assertThat(server.find("")).isEmpty();
        assertThat(server.find(null)).isEmpty();
    }

    @Test
    void contractTheCallersPasswordArrayIsLeftAsItWas() {
        char[] password = rightPassword().toCharArray();
        server().authenticate(knownUser(), password);
        assertThat(new String(password)).isEqualTo(rightPassword());
    }

    @Test
    void contractFindAnswersForTheKnownUserWithoutAPassword() {
        assertThat(server().find(knownUser())).isPresent();
    }
}
