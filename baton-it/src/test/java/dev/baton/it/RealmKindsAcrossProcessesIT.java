package dev.baton.it;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentTls;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.api.AccessResult;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.auth.SlapdServer;
import dev.baton.gateway.auth.TestCertificates;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each of the ten realm kinds' inbound outcome (F6), and attribute import against directory look-up (F7), with
 * real processes on loopback: a federation server and two gateways, each its own {@code baton} process
 * configured by YAML as an operator would write it, and a throwaway slapd for the LDAP and Active Directory
 * realms. The in-process counterpart is baton-gateway's {@code RealmKindsOnArrivalTest}.
 *
 * <p>The agent signs in at gateway {@code home} in a local realm and connects to gateway {@code away}, whose
 * realm of the session's authentication group is of the kind under test. A gateway takes the <em>first</em> of
 * its realms in the session's group ({@code Migration#realmOfGroup}), so one gateway cannot hold two realms of
 * different kinds for one group; rather than a gateway process per kind, {@code away} holds one realm per kind,
 * each in an authentication group of its own named after the realm, and {@code home} holds a local realm
 * {@code to-GROUP} in each of those groups. The inbound rules are the same for any group name.
 *
 * <p>Sessions whose own kind never migrates: anonymous and certificate sessions are signed in for real (the
 * certificate one with a TLS client certificate from a throwaway CA) and are refused at {@code away}; they
 * never reach the federation, so {@code away} answers that no gateway holds them. SAML and SiteMinder sessions
 * cannot be made at all: sign-in through those realms is not implemented in Baton (docs/gateway.md), so their
 * story here is only that sign-in is refused, saying so; no such session is faked.
 *
 * <p>RADIUS and ACE realms point at a loopback UDP port where nothing listens: their acceptance must not depend
 * on asking the server.
 */
class RealmKindsAcrossProcessesIT {
    @RegisterExtension
    static final SlapdServer SLAPD = new SlapdServer();
    static final String PEOPLE = "ou=people," + SlapdServer.BASE_DN;

    static final String HOME = "home";
    static final String AWAY = "away";
    private static final String HASH = new LocalAccounts(1024, 1).hash(Cluster.PASSWORD.toCharArray());
    /** Local accounts at home: alice has attributes to import, carol none; neither is in every directory. */
    private static final String HOME_ACCOUNTS = """
            [ { username: alice, password-hash: "%1$s", attributes: { department: sales, title: imported-title } },
                          { username: carol, password-hash: "%1$s" } ]""".formatted(HASH);
    /**
     * The receiving realms' role mapping: {@code engineering} from slapd's {@code title: engineer} or NIS group
     * {@code engineers} (looked up), {@code sales} from the imported {@code department: sales}, staff for all.
     */
    private static final String RULES = """
            [ { when: ["attribute:title=engineer"], roles: [engineering] },
                          { when: ["group=engineers"], roles: [engineering] },
                          { when: ["attribute:department=sales"], roles: [sales] },
                          { when: ["username=*"], roles: [staff] } ]""";

    @TempDir
    static Path dir;
    static Cluster cluster;
    static HttpGatewayEndpoint home;
    static HttpGatewayEndpoint away;
    static TestCertificates.Issued ca;
    static final AtomicInteger agents = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        SLAPD.add("""
                dn: %1$s
                objectClass: organizationalUnit
                ou: people

                dn: uid=alice,%1$s
                objectClass: inetOrgPerson
                objectClass: batonTestAdAccount
                uid: alice
                sAMAccountName: alice
                cn: Alice
                sn: Liddell
                title: engineer
                userPassword: wonderland
                """.formatted(PEOPLE));
        ca = TestCertificates.ca("O=Baton,CN=Baton IT client CA", Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(2));
        Files.writeString(dir.resolve("client-ca.pem"), ca.pem());
        // NIS maps as ypcat prints them: alice (openssl passwd -6 -salt saltsalt wonderland) in group engineers.
        Files.writeString(dir.resolve("passwd.map"), "alice:$6$saltsalt$pqxtaP8VN9msji06dnBCbUbaSGTOXyo9jZDqZxik1rPexoqRIW4UK"
                + "uiD0ZHZchCSd7S4/HoRU8bcFbnz2ihUr.:1001:100:Alice Liddell,,,:/home/alice:/bin/bash\n");
        Files.writeString(dir.resolve("group.map"), "users:*:100:\nengineers:*:2000:alice\n");

        cluster = new Cluster(dir).startFederation(HOME, AWAY);
        cluster.startGateway(AWAY, cluster.gatewayBasics(AWAY, "remote-access") + awayRealms());
        cluster.startGateway(HOME, cluster.gatewayBasics(HOME, "remote-access") + homeRealms());
        home = Cluster.endpoint(cluster.url(HOME));
        away = Cluster.endpoint(cluster.url(AWAY));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One realm of each kind at away, each in the authentication group of its own name. */
    static String awayRealms() {
        String ldap = """
                      ldap.servers: "%s"
                      ldap.security: start-tls
                      ldap.caFile: "%s"
                      ldap.bindDn: "%s"
                      ldap.bindPassword: "%s"
                      ldap.baseDn: "%s"
                      ldap.attributes: "title"
                """.formatted(SLAPD.address(), SLAPD.caFile(), SlapdServer.ROOT_DN, SlapdServer.ROOT_PASSWORD, PEOPLE);
        String nobody = """
                      radius.servers: "127.0.0.1:%d"
                      radius.secret: testing123
                      radius.timeout: 200ms
                      radius.retries: 0
                """.formatted(freeUdpPort());
        return roles() + "realms:\n"
                + realm("local", "{ kind: local, accounts: [ { username: alice, password: not-the-home-password } ] }", "imported", null)
                + realm("ldap", "\n      kind: ldap\n" + ldap, "directory", null)
                + realm("ldap-imported", "\n      kind: ldap\n" + ldap, "imported", null)
                + realm("ad", "\n      kind: active-directory\n" + ldap, "directory", null)
                + realm("ad-attributes", "\n      kind: active-directory\n" + ldap + "      ldap.attributeLookup: true\n", "directory", true)
                + realm("nis", "\n      kind: nis\n      nis.passwdMap: passwd.map\n      nis.groupMap: group.map\n", "directory", null)
                + realm("radius", "\n      kind: radius\n" + nobody, "directory", null)
                + realm("ace", "\n      kind: ace\n" + nobody, "imported", null)
                + realm("anonymous", "{ kind: anonymous }", "imported", null)
                + realm("certificate", "{ kind: certificate, certificate.caFile: client-ca.pem }", "imported", null)
                + realm("saml", "{ kind: saml }", "imported", null)
                + realm("siteminder", "{ kind: siteminder }", "imported", null);
    }

    /** At home: a local realm to-GROUP in each of away's groups, and realms whose sessions never migrate. */
    static String homeRealms() {
        StringBuilder yaml = new StringBuilder(roles()).append("realms:\n");
        for (String group : List.of("local", "ldap", "ldap-imported", "ad", "ad-attributes", "nis", "radius", "ace",
                "anonymous", "certificate", "saml", "siteminder")) {
            yaml.append("""
                      - name: to-%1$s
                        auth-group: %1$s
                        auth-server: { kind: local, accounts: %2$s }
                        role-mapping: [ { when: ["username=*"], roles: [staff] } ]
                    """.formatted(group, HOME_ACCOUNTS));
        }
        // In group ad, whose realm at away takes anyone: a refusal there is the source kind's doing.
        for (String kind : List.of("anonymous", "certificate", "saml", "siteminder")) {
            String server = kind.equals("certificate") ? "{ kind: certificate, certificate.caFile: client-ca.pem }" : "{ kind: " + kind + " }";
            yaml.append("""
                      - name: %1$s-out
                        auth-group: ad
                        auth-server: %2$s
                        role-mapping: [ { when: ["username=*"], roles: [staff] } ]
                    """.formatted(kind, server));
        }
        return yaml.toString();
    }

    static String roles() {
        return "roles:\n" + List.of("staff", "engineering", "sales").stream()
                .map(r -> "  " + r + ": " + Cluster.STAFF + "\n").reduce("", String::concat);
    }

    static String realm(String name, String server, String attributes, Boolean directoryAttributes) {
        return """
                  - name: %1$s
                    auth-group: %1$s
                    auth-server: %2$s
                    attributes: %3$s
                """.formatted(name, server.stripTrailing(), attributes)
                + (directoryAttributes == null ? "" : "    directory-attributes: " + directoryAttributes + "\n")
                + "    role-mapping: " + RULES + "\n";
    }

    static Agent agent() {
        return new Agent(dir.resolve("agent-" + agents.incrementAndGet() + ".state"), Map.of());
    }

    /** Signs {@code user} in at home in the local realm of {@code group} and connects to away. */
    static AccessResult migrate(String group, String user) {
        Agent agent = agent();
        assertThat(agent.signIn(home, "to-" + group, user, Cluster.PASSWORD).gateway()).isEqualTo(HOME);
        AccessResult arrived = agent.connect(away);
        assertThat(arrived.outcome()).as("outcome at %s", group).isEqualTo("migrated");
        assertThat(arrived.gateway()).isEqualTo(AWAY);
        assertThat(arrived.realm()).isEqualTo(group);
        assertThat(arrived.user()).isEqualTo(user);
        return arrived;
    }

    /**
     * Signs {@code user} in at home in the local realm of {@code group}, asserts that away refuses the session
     * with MIGRATION_REFUSED and a message containing {@code reason}, and that the session is still home's.
     */
    static void refused(String group, String user, String reason) {
        Agent agent = agent();
        agent.signIn(home, "to-" + group, user, Cluster.PASSWORD);
        assertThatThrownBy(() -> agent.connect(away)).as("%s at %s", user, group)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.MIGRATION_REFUSED));
        assertThat(agent.access(home).gateway()).isEqualTo(HOME);
    }

    static ResultCode code(Throwable t) {
        return ((BatonException) t).code();
    }

    @Test
    void aLocalRealmTakesAUserWithALocalAccountAndRefusesOneWithout() {
        assertThat(migrate("local", "alice").roles()).containsExactlyInAnyOrder("sales", "staff");
        refused("local", "carol", "user carol has no local account in realm local");
    }

    @Test
    void anLdapRealmTakesAUserWhoseNameResolvesToADnInSlapdAndRefusesOneWhoseNameDoesNot() {
        assertThat(migrate("ldap", "alice").roles()).containsExactlyInAnyOrder("engineering", "staff");
        refused("ldap", "carol", "user carol does not resolve to a DN in the LDAP server of realm ldap");
    }

    @Test
    void activeDirectoryTakesEvenAUserTheDirectoryDoesNotKnowAndYieldsAttributesOnlyWhenConfigured() {
        assertThat(migrate("ad", "carol").roles()).containsExactly("staff"); // not in slapd: accepted all the same
        assertThat(migrate("ad", "alice").roles()).containsExactly("staff"); // no look-up without directory-attributes
        assertThat(migrate("ad-attributes", "alice").roles()).containsExactlyInAnyOrder("engineering", "staff"); // slapd's title
    }

    @Test
    void aNisRealmTakesAUserInItsPasswdMapWithGroupsFromItsGroupMapAndRefusesOneNotInIt() {
        assertThat(migrate("nis", "alice").roles()).containsExactlyInAnyOrder("engineering", "staff"); // group engineers
        refused("nis", "carol", "user carol is not found in the NIS server of realm nis");
    }

    @Test
    void radiusAndAceRealmsTakeAnyUserWithoutAskingTheirServerAndRadiusLooksUpNoAttributes() {
        assertThat(migrate("radius", "carol").roles()).containsExactly("staff");
        assertThat(migrate("radius", "alice").roles()).containsExactly("staff"); // a look-up yields nothing, not sales
        assertThat(migrate("ace", "carol").roles()).containsExactly("staff");
        assertThat(migrate("ace", "alice").roles()).containsExactlyInAnyOrder("sales", "staff"); // imported
    }

    @Test
    void anonymousCertificateSamlAndSiteMinderRealmsNeverTakeAMigratedSession() {
        for (var kind : Map.of("anonymous", "anonymous", "certificate", "certificate", "saml", "SAML", "siteminder", "SiteMinder").entrySet()) {
            refused(kind.getKey(), "alice", "realm " + kind.getKey() + " uses " + kind.getValue()
                    + " authentication, which never accepts migrated sessions");
        }
    }

    /** F7: the same user into two LDAP realms on the same slapd, one importing attributes, one looking them up. */
    @Test
    void importedAttributesMapRolesFromTheSessionAndADirectoryLookUpFromSlapdsEntry() {
        // Imported: home's department: sales and title: imported-title came with the session.
        assertThat(migrate("ldap-imported", "alice").roles()).containsExactlyInAnyOrder("sales", "staff");
        // Looked up: slapd's entry has title: engineer and no department.
        assertThat(migrate("ldap", "alice").roles()).containsExactlyInAnyOrder("engineering", "staff");
    }

    @Test
    void anonymousAndCertificateSessionsNeverLeaveTheirGateway() throws Exception {
        Agent anonymous = agent();
        assertThat(anonymous.signIn(home, "anonymous-out", "visitor", "").realm()).isEqualTo("anonymous-out");
        assertThatThrownBy(() -> anonymous.connect(away))
                .hasMessageContaining("no gateway of the federation holds this session")
                .satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.UNKNOWN_SESSION));
        assertThat(anonymous.access(home).gateway()).isEqualTo(HOME);

        HttpGatewayEndpoint homeWithCertificate = new HttpGatewayEndpoint(cluster.url(HOME), clientCertificate("dave"), Duration.ofSeconds(10));
        Agent certified = agent();
        AccessResult signedIn = certified.signIn(homeWithCertificate, "certificate-out", "ignored", "ignored");
        assertThat(signedIn.user()).isEqualTo("dave"); // the certificate's CN names the user
        assertThatThrownBy(() -> certified.connect(away))
                .hasMessageContaining("no gateway of the federation holds this session")
                .satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.UNKNOWN_SESSION));
        assertThat(certified.access(homeWithCertificate).gateway()).isEqualTo(HOME);

        for (String sso : List.of("saml", "siteminder")) {
            assertThatThrownBy(() -> agent().signIn(home, sso + "-out", "alice", Cluster.PASSWORD)).as(sso)
                    .hasMessageContaining("is not implemented in Baton")
                    .satisfies(e -> assertThat(code(e)).isEqualTo(ResultCode.CONFIGURATION));
        }
    }

    /** TLS that presents a client certificate for {@code cn}, issued by {@link #ca}, and trusts any gateway. */
    static SSLContext clientCertificate(String cn) throws Exception {
        TestCertificates.Issued leaf = TestCertificates.leaf(ca, "O=Baton,CN=" + cn, Instant.now().minus(Duration.ofHours(1)),
                Duration.ofDays(1), KeyPurposeId.id_kp_clientAuth);
        char[] password = "changeit".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", leaf.keys().getPrivate(), password, new Certificate[] {leaf.certificate(), ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        return AgentTls.trustAll(kmf.getKeyManagers());
    }

    /** A loopback UDP port nothing listens on (it was free a moment ago). */
    static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
