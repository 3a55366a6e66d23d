package dev.baton.gateway.auth;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.baton.gateway.auth.SlapdServer.BASE_DN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LDAP and Active-Directory-style sign-in and inbound look-ups against a real, throwaway slapd. */
class LdapAuthenticatorTest extends PasswordAuthenticatorContract {
    @RegisterExtension
    static final SlapdServer SLAPD = new SlapdServer();

    static final String PEOPLE = "ou=people," + BASE_DN;
    static final String READER = "cn=reader," + BASE_DN;

    private final List<LdapAuthenticator> opened = new ArrayList<>();

    @BeforeAll
    static void people() {
        SLAPD.add("""
                dn: %1$s
                objectClass: organizationalRole
                objectClass: simpleSecurityObject
                cn: reader
                userPassword: reader-secret

                dn: %2$s
                objectClass: organizationalUnit
                ou: people

                dn: uid=alice,%2$s
                objectClass: inetOrgPerson
                objectClass: batonTestAdAccount
                uid: alice
                cn: Alice Liddell
                sn: Liddell
                title: engineer
                mail: alice@baton.test
                sAMAccountName: alice
                userPrincipalName: alice@baton.test
                userPassword: wonderland

                dn: uid=bob,%2$s
                objectClass: inetOrgPerson
                uid: bob
                cn: Bob
                sn: Builder
                userPassword: can-we-fix-it

                dn: cn=twin one,%2$s
                objectClass: inetOrgPerson
                uid: twin
                cn: twin one
                sn: Twin
                userPassword: same

                dn: cn=twin two,%2$s
                objectClass: inetOrgPerson
                uid: twin
                cn: twin two
                sn: Twin
                userPassword: same
                """.formatted(READER, PEOPLE));
    }

    @AfterEach
    void close() {
        opened.forEach(LdapAuthenticator::close);
    }

    private LdapAuthenticator open(LdapConfig config) {
        LdapAuthenticator a = new LdapAuthenticator(config);
        opened.add(a);
        return a;
    }

    @Override
    dev.baton.gateway.Authenticator server() {
        return open(ldap());
    }

    @Override
    String knownUser() {
        return "alice";
    }

    @Override
    String rightPassword() {
        return "wonderland";
    }

    private LdapConfig ldap() {
        return LdapConfig.ldap(List.of(SLAPD.address()), READER, "reader-secret", BASE_DN).withAttributes(List.of("title", "mail"))
                .withSecurity(LdapConfig.Security.START_TLS, SLAPD.caFile());
    }

    private LdapConfig activeDirectory(String domain, String bindDn, String bindPassword, String baseDn) {
        return LdapConfig.activeDirectory(List.of(SLAPD.address()), domain, bindDn, bindPassword, baseDn)
                .withSecurity(LdapConfig.Security.START_TLS, SLAPD.caFile());
    }

    @Test
    void rightPasswordSignsInAsTheFoundDnWithTheConfiguredAttributes() {
        var entry = open(ldap()).authenticate("alice", "wonderland".toCharArray());
        assertThat(entry).get().satisfies(e -> {
            assertThat(e.name()).isEqualToIgnoringCase("uid=alice," + PEOPLE);
            assertThat(e.attributes()).containsEntry("title", List.of("engineer")).containsEntry("mail", List.of("alice@baton.test"))
                    .doesNotContainKey("userPassword");
        });
    }

    @Test
    void wrongPasswordUnknownUserAndEmptyPasswordAreRefused() {
        LdapAuthenticator ldap = open(ldap());
        assertThat(ldap.authenticate("alice", "Wonderland".toCharArray())).isEmpty();
        assertThat(ldap.authenticate("carol", "wonderland".toCharArray())).isEmpty();
        // An empty password would be an anonymous bind, which LDAP lets succeed.
        assertThat(ldap.authenticate("alice", new char[0])).isEmpty();
    }

    @Test
    void filterMetacharactersInTheUsernameAreEscapedNotInterpreted() {
        LdapAuthenticator ldap = open(ldap());
        assertThat(ldap.find("*")).isEmpty();
        assertThat(ldap.find("al*")).isEmpty();
        assertThat(ldap.authenticate("*)(uid=*", "wonderland".toCharArray())).isEmpty();
    }

    @Test
    void aUsernameMatchingTwoEntriesIsRefusedAsAmbiguous() {
        LdapAuthenticator ldap = open(ldap());
        assertThat(ldap.authenticate("twin", "same".toCharArray())).isEmpty();
        assertThat(ldap.find("twin")).isEmpty();
    }

    @Test
    void inboundLookUpResolvesTheUsernameToADnWithoutAPassword() {
        LdapAuthenticator ldap = open(ldap());
        assertThat(ldap.find("bob")).get().extracting(e -> e.name().toLowerCase()).isEqualTo(("uid=bob," + PEOPLE).toLowerCase());
        assertThat(ldap.find("alice")).get().extracting(e -> e.attributes().get("title")).isEqualTo(List.of("engineer"));
        assertThat(ldap.find("nobody")).isEmpty();
    }

    @Test
    void withoutAServiceAccountSearchesAreAnonymousAndPooledConnectionsRevertAfterAUserBind() {
        LdapAuthenticator anonymous = open(LdapConfig.ldap(List.of(SLAPD.address()), null, null, BASE_DN)
                .withSecurity(LdapConfig.Security.START_TLS, SLAPD.caFile()));
        for (int i = 0; i < 3; i++) { // the same pooled connection, bound as alice and reverted each time
            assertThat(anonymous.authenticate("alice", "wonderland".toCharArray())).isPresent();
            assertThat(anonymous.authenticate("bob", "wonderland".toCharArray())).isEmpty();
        }
    }

    @Test
    void aConfiguredFilterChoosesWhichAttributeIsTheUsername() {
        LdapAuthenticator byMail = open(ldap().withUserFilter("(&(objectClass=inetOrgPerson)(mail={0}))"));
        assertThat(byMail.authenticate("alice@baton.test", "wonderland".toCharArray())).isPresent();
        assertThat(byMail.authenticate("alice", "wonderland".toCharArray())).isEmpty();
    }

    @Test
    void activeDirectoryStyleSearchesBySamAccountNameAndReturnsNoAttributesUnlessLookUpIsOn() {
        LdapConfig ad = activeDirectory(null, READER, "reader-secret", BASE_DN);
        LdapAuthenticator plain = open(ad);
        assertThat(plain.authenticate("alice", "wonderland".toCharArray())).get()
                .satisfies(e -> assertThat(e.attributes()).isEmpty());
        assertThat(plain.authenticate("alice", "nope".toCharArray())).isEmpty();
        assertThat(plain.authenticate("bob", "can-we-fix-it".toCharArray())).as("bob has no sAMAccountName").isEmpty();

        LdapAuthenticator withLookUp = open(ad.withAttributes(List.of("title")));
        assertThat(withLookUp.authenticate("alice", "wonderland".toCharArray())).get()
                .extracting(e -> e.attributes().get("title")).isEqualTo(List.of("engineer"));
        assertThat(withLookUp.find("alice")).get().extracting(e -> e.attributes().get("title")).isEqualTo(List.of("engineer"));
    }

    @Test
    void activeDirectoryFindWithoutAttributeLookUpAnswersWithoutAskingTheServer() {
        LdapConfig ad = LdapConfig.activeDirectory(List.of("127.0.0.1:1"), null, null, null, BASE_DN);
        assertThat(open(ad).find("anyone")).get().satisfies(e -> {
            assertThat(e.name()).isEqualTo("anyone");
            assertThat(e.attributes()).isEmpty();
        });
    }

    @Test
    void activeDirectoryUpnBindRefusesWhatTheServerRefuses() {
        // slapd does not take user@domain bind names (AD does); it answers "invalid DN syntax", which must read as a refusal.
        LdapConfig ad = activeDirectory("baton.test", null, null, null);
        assertThat(open(ad).authenticate("alice", "wonderland".toCharArray())).isEmpty();
    }

    @Test
    void anUnreachableDirectoryIsReportedAsUnavailableNotAsAWrongPassword() throws Exception {
        int closed = SlapdServer.freePort();
        LdapConfig down = LdapConfig.ldap(List.of("127.0.0.1:" + closed), READER, "reader-secret", BASE_DN)
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(1));
        LdapAuthenticator ldap = open(down);
        assertThatThrownBy(() -> ldap.authenticate("alice", "wonderland".toCharArray()))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.UNAVAILABLE));
        assertThatThrownBy(() -> ldap.find("alice"))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.UNAVAILABLE));
    }

    @Test
    void theSecondServerIsUsedWhenTheFirstIsDown() throws Exception {
        LdapConfig failover = LdapConfig.ldap(List.of("127.0.0.1:" + SlapdServer.freePort(), SLAPD.address()), READER, "reader-secret", BASE_DN)
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2)).withSecurity(LdapConfig.Security.START_TLS, SLAPD.caFile());
        assertThat(open(failover).authenticate("alice", "wonderland".toCharArray())).isPresent();
    }

    @Test
    void aWrongServiceAccountPasswordIsUnavailableNotAWrongUserPassword() {
        LdapAuthenticator ldap = open(LdapConfig.ldap(List.of(SLAPD.address()), READER, "not-it", BASE_DN)
                .withSecurity(LdapConfig.Security.START_TLS, SLAPD.caFile()));
        assertThatThrownBy(() -> ldap.authenticate("alice", "wonderland".toCharArray()))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.UNAVAILABLE));
    }

    @Test
    void signInWorksOverLdaps() {
        LdapConfig ldaps = LdapConfig.ldap(List.of(SLAPD.ldapsAddress()), READER, "reader-secret", BASE_DN)
                .withSecurity(LdapConfig.Security.LDAPS, SLAPD.caFile());
        assertThat(open(ldaps).authenticate("alice", "wonderland".toCharArray())).isPresent();
    }

    @Test
    void signInWorksOverPlainLdapWhenExplicitlyChosen() {
        LdapConfig plain = LdapConfig.ldap(List.of(SLAPD.address()), READER, "reader-secret", BASE_DN).withSecurity(LdapConfig.Security.NONE, null);
        assertThat(open(plain).authenticate("alice", "wonderland".toCharArray())).isPresent();
    }

    @Test
    void aDirectoryCertificateFromAnUntrustedCaIsUnavailableAndNoPasswordIsSent() {
        // The JVM's default CAs do not include the throwaway CA that issued slapd's certificate.
        LdapAuthenticator untrusted = open(LdapConfig.ldap(List.of(SLAPD.address()), READER, "reader-secret", BASE_DN));
        assertThatThrownBy(() -> untrusted.authenticate("alice", "wonderland".toCharArray()))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.UNAVAILABLE));
    }

    @Test
    void aDirectoryCertificateThatDoesNotNameTheHostDialledIsRefused() {
        // slapd's certificate names 127.0.0.1 only; "localhost" reaches the same server under another name.
        LdapAuthenticator wrongName = open(LdapConfig.ldap(List.of("localhost:" + SLAPD.port()), READER, "reader-secret", BASE_DN)
                .withSecurity(LdapConfig.Security.START_TLS, SLAPD.caFile()));
        assertThatThrownBy(() -> wrongName.find("alice"))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.UNAVAILABLE));
    }

    @Test
    void pooledConnectionsSurviveADirectoryRestart() throws Exception {
        LdapAuthenticator ldap = open(ldap());
        assertThat(ldap.authenticate("alice", "wonderland".toCharArray())).isPresent();
        SLAPD.restart(); // the pooled connection is now dead; the pool must replace it, not report the directory down
        assertThat(ldap.authenticate("alice", "wonderland".toCharArray())).isPresent();
        assertThat(ldap.find("bob")).isPresent();
    }
}
