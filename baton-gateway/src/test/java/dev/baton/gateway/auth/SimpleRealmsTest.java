package dev.baton.gateway.auth;

import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The anonymous realm and the SAML / SiteMinder realms whose sign-in Baton does not implement. */
class SimpleRealmsTest {

    @Test
    void anonymousSignsEveryoneInAsTheFixedNameWithNoAttributes() {
        AnonymousAuthenticator anonymous = new AnonymousAuthenticator();
        assertThat(anonymous.authenticate("mallory", null)).get().satisfies(e -> {
            assertThat(e.name()).isEqualTo("anonymous");
            assertThat(e.attributes()).isEmpty();
        });
        assertThat(new AnonymousAuthenticator("guest").authenticate(null, "x".toCharArray())).get().extracting(e -> e.name()).isEqualTo("guest");
    }

    @Test
    void anonymousSessionsNeverMigrateSoFindKnowsNobody() {
        assertThat(new AnonymousAuthenticator().find("anonymous")).isEmpty();
    }

    @Test
    void aBlankAnonymousNameIsAConfigurationError() {
        assertThatThrownBy(() -> new AnonymousAuthenticator(" ")).hasMessageStartingWith("anonymous.userName:");
    }

    @Test
    void samlAndSiteMinderSignInIsRefusedSayingItIsNotImplemented() {
        for (AuthServerKind kind : new AuthServerKind[] {AuthServerKind.SAML, AuthServerKind.SITEMINDER}) {
            UnsupportedSsoAuthenticator sso = new UnsupportedSsoAuthenticator(kind);
            assertThatThrownBy(() -> sso.authenticate("alice", "pw".toCharArray()))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.CONFIGURATION))
                    .hasMessageContaining("sign-in to " + kind.displayName() + " realms is not implemented in Baton yet")
                    .hasMessageContaining("never migrate");
            assertThat(sso.find("alice")).isEmpty();
        }
    }

    @Test
    void onlySamlAndSiteMinderUseTheUnsupportedServer() {
        assertThatThrownBy(() -> new UnsupportedSsoAuthenticator(AuthServerKind.LDAP)).hasMessageStartingWith("kind:");
    }
}
