package dev.baton.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboundRulesTest {
    static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    static final Map<String, List<String>> DIRECTORY_ATTRS = Map.of("title", List.of("engineer"));
    static final UserDirectory KNOWS_ALICE = user -> user.equals("alice")
            ? Optional.of(new UserDirectory.Entry("uid=alice,ou=people,dc=example", DIRECTORY_ATTRS)) : Optional.empty();

    static Realm realm(AuthServerKind kind, String group, Realm.AttributeMode mode, boolean adLookup) {
        return new Realm("r-" + kind.name().toLowerCase(), kind, group == null ? null : new AuthGroup(group),
                List.of(RoleMappingRule.everyone("staff")), List.of(), mode, adLookup, null);
    }

    static Session alice() {
        return Sessions.of("alice", AuthServerKind.LOCAL, "corp", T0);
    }

    @ParameterizedTest
    @EnumSource(value = AuthServerKind.class, names = {"LOCAL", "LDAP", "NIS"})
    void accountCheckingKindsAcceptAKnownUser(AuthServerKind kind) {
        assertThat(InboundRules.admit(alice(), realm(kind, "corp", Realm.AttributeMode.IMPORTED, false), KNOWS_ALICE))
                .containsEntry("department", List.of("engineering"));
    }

    @Test
    void localRealmRefusesAUserWithoutALocalAccount() {
        assertThatThrownBy(() -> InboundRules.admit(alice(), realm(AuthServerKind.LOCAL, "corp", Realm.AttributeMode.IMPORTED, false), UserDirectory.EMPTY))
                .isInstanceOf(BatonException.class).hasMessageContaining("has no local account")
                .extracting(e -> ((BatonException) e).code()).isEqualTo(ResultCode.MIGRATION_REFUSED);
    }

    @Test
    void ldapRealmRefusesAUserWhoseNameDoesNotResolveToADn() {
        assertThatThrownBy(() -> InboundRules.admit(alice(), realm(AuthServerKind.LDAP, "corp", Realm.AttributeMode.IMPORTED, false), UserDirectory.EMPTY))
                .hasMessageContaining("does not resolve to a DN");
    }

    @Test
    void nisRealmRefusesAUserNotFoundInNis() {
        assertThatThrownBy(() -> InboundRules.admit(alice(), realm(AuthServerKind.NIS, "corp", Realm.AttributeMode.IMPORTED, false), UserDirectory.EMPTY))
                .hasMessageContaining("not found in the NIS server");
    }

    @ParameterizedTest
    @EnumSource(value = AuthServerKind.class, names = {"ACE", "RADIUS", "ACTIVE_DIRECTORY"})
    void aceRadiusAndActiveDirectoryAlwaysAcceptEvenUnknownUsers(AuthServerKind kind) {
        UserDirectory mustNotBeAsked = user -> {
            throw new AssertionError("no look-up expected for " + kind);
        };
        assertThat(InboundRules.admit(alice(), realm(kind, "corp", Realm.AttributeMode.IMPORTED, false), mustNotBeAsked))
                .containsKey("department");
    }

    @ParameterizedTest
    @EnumSource(value = AuthServerKind.class, names = {"ANONYMOUS", "CERTIFICATE", "SAML", "SITEMINDER"})
    void anonymousCertificateSamlAndSiteMinderRealmsNeverAcceptMigratedSessions(AuthServerKind kind) {
        assertThatThrownBy(() -> InboundRules.admit(alice(), realm(kind, "corp", Realm.AttributeMode.IMPORTED, false), KNOWS_ALICE))
                .hasMessageContaining("never accepts migrated sessions").hasMessageContaining(kind.displayName());
    }

    @ParameterizedTest
    @EnumSource(value = AuthServerKind.class, names = {"ANONYMOUS", "CERTIFICATE", "SAML", "SITEMINDER"})
    void sessionsAuthenticatedByNonMigratingKindsNeverLeave(AuthServerKind kind) {
        Session s = Sessions.of("alice", kind, "corp", T0);
        assertThat(s.migratable()).isFalse();
        assertThatThrownBy(() -> InboundRules.admit(s, realm(AuthServerKind.LOCAL, "corp", Realm.AttributeMode.IMPORTED, false), KNOWS_ALICE))
                .hasMessageContaining("never migrate");
    }

    @Test
    void aRealmOfAnotherAuthenticationGroupRefuses() {
        assertThatThrownBy(() -> InboundRules.admit(alice(), realm(AuthServerKind.LOCAL, "partners", Realm.AttributeMode.IMPORTED, false), KNOWS_ALICE))
                .hasMessageContaining("authentication group corp of the session does not match group partners");
        assertThatThrownBy(() -> InboundRules.admit(alice(), realm(AuthServerKind.LOCAL, null, Realm.AttributeMode.IMPORTED, false), KNOWS_ALICE))
                .hasMessageContaining("(none)");
    }

    @Test
    void directoryModeUsesTheReceivingDirectorysAttributes() {
        assertThat(InboundRules.admit(alice(), realm(AuthServerKind.LDAP, "corp", Realm.AttributeMode.DIRECTORY, false), KNOWS_ALICE))
                .isEqualTo(DIRECTORY_ATTRS);
        assertThat(InboundRules.admit(alice(), realm(AuthServerKind.ACE, "corp", Realm.AttributeMode.DIRECTORY, false), KNOWS_ALICE))
                .isEqualTo(DIRECTORY_ATTRS);
    }

    @Test
    void radiusDirectoryLookUpYieldsNoAttributes() {
        assertThat(InboundRules.admit(alice(), realm(AuthServerKind.RADIUS, "corp", Realm.AttributeMode.DIRECTORY, false), KNOWS_ALICE)).isEmpty();
    }

    @Test
    void activeDirectoryYieldsAttributesOnlyWhenConfigured() {
        assertThat(InboundRules.admit(alice(), realm(AuthServerKind.ACTIVE_DIRECTORY, "corp", Realm.AttributeMode.DIRECTORY, false), KNOWS_ALICE)).isEmpty();
        assertThat(InboundRules.admit(alice(), realm(AuthServerKind.ACTIVE_DIRECTORY, "corp", Realm.AttributeMode.DIRECTORY, true), KNOWS_ALICE))
                .isEqualTo(DIRECTORY_ATTRS);
    }

    @Test
    void kindsParseFromOperatorSpelling() {
        assertThat(AuthServerKind.parse("active-directory")).isEqualTo(AuthServerKind.ACTIVE_DIRECTORY);
        assertThat(AuthServerKind.parse("AD")).isEqualTo(AuthServerKind.ACTIVE_DIRECTORY);
        assertThat(AuthServerKind.parse("SiteMinder")).isEqualTo(AuthServerKind.SITEMINDER);
        assertThatThrownBy(() -> AuthServerKind.parse("kerberos")).hasMessageContaining("unknown authentication server kind 'kerberos'");
    }
}
