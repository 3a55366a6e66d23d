package dev.baton.gateway.auth;

import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.ProofOfPossession;
import dev.baton.core.Realm;
import dev.baton.core.ResultCode;
import dev.baton.core.Role;
import dev.baton.core.RoleMappingRule;
import dev.baton.core.SessionId;
import dev.baton.core.api.AccessResult;
import dev.baton.core.api.ConnectRequest;
import dev.baton.core.api.SignInRequest;
import dev.baton.gateway.Authenticator;
import dev.baton.gateway.Gateway;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.InMemoryFederation;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.baton.gateway.auth.SlapdServer.BASE_DN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Migrating into realms of each kind, through gateways whose realms sit on real servers where one runs here
 * (slapd for LDAP): the inbound rule of the receiving realm decides (F6), and its role mapping sees imported
 * or looked-up attributes (F7).
 */
class RealmKindsOnArrivalTest {
    @RegisterExtension
    static final SlapdServer SLAPD = new SlapdServer();
    static final String PEOPLE = "ou=people," + BASE_DN;

    final InMemoryFederation federation = new InMemoryFederation(Runnable::run);
    final Gateway home = gateway("home", AuthServerKind.LOCAL, new LocalAccounts(1024, 1)
            .add("alice", "pw".toCharArray(), Map.of("title", List.of("imported-title")))
            .add("carol", "pw".toCharArray(), Map.of()), Realm.AttributeMode.IMPORTED);

    @BeforeAll
    static void people() {
        SLAPD.add("""
                dn: %1$s
                objectClass: organizationalUnit
                ou: people

                dn: uid=alice,%1$s
                objectClass: inetOrgPerson
                uid: alice
                cn: Alice
                sn: Liddell
                title: engineer
                userPassword: wonderland
                """.formatted(PEOPLE));
    }

    Gateway gateway(String name, AuthServerKind kind, Authenticator server, Realm.AttributeMode mode) {
        Realm realm = new Realm("r", kind, new AuthGroup("corp"), List.of(
                new RoleMappingRule(List.of(RoleMappingRule.Condition.parse("attribute:title=engineer")), List.of("engineering"), true),
                RoleMappingRule.everyone("staff")), List.of(), mode, false, null);
        return new Gateway(new GatewayConfig(name, GatewayKind.REMOTE_ACCESS, true, List.of(new RealmBinding(realm, server)),
                new AccessPolicy(List.of(Role.plain("staff"), Role.plain("engineering")), List.of())), federation, Clock.systemUTC());
    }

    /** Signs {@code user} in at home and migrates the session to {@code to}, with proof of possession. */
    AccessResult migrate(String user, Gateway to) {
        KeyPair keys = ProofOfPossession.newKeyPair();
        String id = home.signIn(new SignInRequest("r", user, "pw", Map.of(), ProofOfPossession.encode(keys.getPublic()))).sessionId();
        String challenge = to.challenge().value();
        return to.connect(new ConnectRequest(id, Map.of(), challenge,
                ProofOfPossession.sign(keys.getPrivate(), to.name(), SessionId.hashOf(id), challenge)));
    }

    static ResultCode code(Throwable t) {
        return ((BatonException) t).code();
    }

    LdapAuthenticator ldap() {
        return new LdapAuthenticator(LdapConfig.ldap(List.of(SLAPD.address()), SlapdServer.ROOT_DN, SlapdServer.ROOT_PASSWORD, PEOPLE)
                .withAttributes(List.of("title")).withSecurity(LdapConfig.Security.START_TLS, SLAPD.caFile()));
    }

    @Test
    void anLdapRealmTakesAUserWhoseNameResolvesToADnAndMapsRolesFromTheDirectory() {
        Gateway ldap = gateway("ldap-gw", AuthServerKind.LDAP, ldap(), Realm.AttributeMode.DIRECTORY);
        AccessResult arrived = migrate("alice", ldap);
        assertThat(arrived.outcome()).isEqualTo("migrated");
        assertThat(arrived.roles()).containsExactly("engineering"); // title=engineer from slapd, not the imported title
    }

    @Test
    void anLdapRealmWithImportedAttributesMapsRolesFromWhatCameWithTheSession() {
        Gateway ldap = gateway("ldap-imported", AuthServerKind.LDAP, ldap(), Realm.AttributeMode.IMPORTED);
        assertThat(migrate("alice", ldap).roles()).containsExactly("staff");
    }

    @Test
    void anLdapRealmRefusesAUserWhoseNameDoesNotResolve() {
        Gateway ldap = gateway("ldap-gw2", AuthServerKind.LDAP, ldap(), Realm.AttributeMode.DIRECTORY);
        assertThatThrownBy(() -> migrate("carol", ldap)).hasMessageContaining("does not resolve to a DN")
                .satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.MIGRATION_REFUSED));
    }

    @Test
    void aLocalRealmRefusesAUserWithoutALocalAccountAndTakesOneWithIt() {
        Gateway local = gateway("local-gw", AuthServerKind.LOCAL, new LocalAccounts(1024, 1).add("alice", "x".toCharArray(), Map.of()),
                Realm.AttributeMode.IMPORTED);
        assertThat(migrate("alice", local).outcome()).isEqualTo("migrated");
        assertThatThrownBy(() -> migrate("carol", local)).hasMessageContaining("has no local account");
    }

    @Test
    void radiusAndAceRealmsAcceptWithoutAskingTheirServerAndLookUpNoAttributes() {
        // Nothing listens on this port: acceptance must not depend on the RADIUS server.
        RadiusConfig nobody = RadiusConfig.of(List.of("127.0.0.1:" + freePort()), "testing123").withTimeout(Duration.ofMillis(200), 0);
        Gateway radius = gateway("radius-gw", AuthServerKind.RADIUS, new RadiusAuthenticator(nobody, AuthServerKind.RADIUS), Realm.AttributeMode.DIRECTORY);
        Gateway ace = gateway("ace-gw", AuthServerKind.ACE, new RadiusAuthenticator(nobody, AuthServerKind.ACE), Realm.AttributeMode.IMPORTED);
        assertThat(migrate("carol", radius).roles()).containsExactly("staff");
        assertThat(migrate("carol", ace).outcome()).isEqualTo("migrated");
    }

    @Test
    void activeDirectoryAcceptsAndYieldsAttributesOnlyWhenConfigured() {
        Gateway ad = gateway("ad-gw", AuthServerKind.ACTIVE_DIRECTORY, ldap(), Realm.AttributeMode.DIRECTORY);
        assertThat(migrate("carol", ad).roles()).containsExactly("staff"); // unknown to the directory, still accepted
    }

    @Test
    void anonymousCertificateSamlAndSiteMinderRealmsNeverTakeAMigratedSession() throws Exception {
        var ca = TestCertificates.ca("CN=Test CA", java.time.Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30)).certificate();
        for (AuthServerKind kind : List.of(AuthServerKind.ANONYMOUS, AuthServerKind.CERTIFICATE, AuthServerKind.SAML, AuthServerKind.SITEMINDER)) {
            Authenticator server = switch (kind) {
                case ANONYMOUS -> new AnonymousAuthenticator("anonymous");
                case CERTIFICATE -> new CertificateAuthenticator(new CertificateConfig(List.of(ca), CertificateConfig.Identity.SUBJECT_CN),
                        Clock.systemUTC());
                default -> new UnsupportedSsoAuthenticator(kind);
            };
            Gateway g = gateway("gw-" + kind.name().toLowerCase(), kind, server, Realm.AttributeMode.IMPORTED);
            assertThatThrownBy(() -> migrate("alice", g)).as(kind.displayName())
                    .hasMessageContaining("never accepts migrated sessions")
                    .satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.MIGRATION_REFUSED));
        }
    }

    static int freePort() {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
