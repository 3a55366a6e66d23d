package dev.baton.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessPolicyTest {
    static final HostCheckerPolicy AV = new HostCheckerPolicy("antivirus",
            List.of(HostCheckerPolicy.Requirement.parse("antivirus=running"), HostCheckerPolicy.Requirement.parse("av.signatures>=2026.11")));
    static final HostCheckerPolicy PATCHED = new HostCheckerPolicy("patched", List.of(HostCheckerPolicy.Requirement.parse("os.version>=10.0.19045")));
    static final SessionOptions REMEDIATION = new SessionOptions(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(12), true);

    static final AccessPolicy POLICY = new AccessPolicy(List.of(
            Role.plain("staff"),
            new Role("engineering", SessionOptions.DEFAULTS, List.of("patched")),
            Role.plain("contractor"),
            new Role("remediation", REMEDIATION, List.of())), List.of(AV, PATCHED));

    static Realm realm(List<RoleMappingRule> rules, List<String> realmPolicies, String remediation) {
        return new Realm("corp", AuthServerKind.LDAP, new AuthGroup("corp"), rules, realmPolicies, Realm.AttributeMode.IMPORTED, false, remediation);
    }

    static final List<RoleMappingRule> RULES = List.of(
            new RoleMappingRule(List.of(RoleMappingRule.Condition.parse("username=contractor-*")), List.of("contractor"), true),
            new RoleMappingRule(List.of(RoleMappingRule.Condition.parse("attribute:department=eng*")), List.of("engineering"), false),
            new RoleMappingRule(List.of(RoleMappingRule.Condition.parse("group=Employees")), List.of("staff"), false));

    static RoleMappingRule.UserFacts user(String name, String department, String... groups) {
        return RoleMappingRule.UserFacts.of(name, Map.of("department", List.of(department), "memberOf", List.of(groups)));
    }

    static final Map<String, String> HEALTHY = Map.of("antivirus", "running", "av.signatures", "2026.11.20", "os.version", "10.0.22631");

    @Test
    void roleMappingMatchesUsernameAttributesAndGroups() {
        Realm r = realm(RULES, List.of(), null);
        assertThat(POLICY.map(r, user("alice", "engineering", "employees"))).containsExactly("engineering", "staff");
        assertThat(POLICY.map(r, user("bob", "sales", "Employees"))).containsExactly("staff");
        assertThat(POLICY.map(r, user("carol", "sales"))).isEmpty();
    }

    @Test
    void aStopRuleEndsRoleMapping() {
        assertThat(POLICY.map(realm(RULES, List.of(), null), user("contractor-dan", "engineering", "Employees"))).containsExactly("contractor");
    }

    @Test
    void aUserNoRuleMapsIsRefused() {
        assertThatThrownBy(() -> POLICY.decide(realm(RULES, List.of(), null), user("carol", "sales"), HEALTHY))
                .hasMessageContaining("no role-mapping rule of realm corp gives user carol a role")
                .extracting(e -> ((BatonException) e).code()).isEqualTo(ResultCode.NOT_AUTHORIZED);
    }

    @Test
    void aRoleWhosePolicyFailsIsDroppedAndTheOthersKept() {
        Map<String, String> oldOs = Map.of("antivirus", "running", "av.signatures", "2026.11.20", "os.version", "10.0.19041");
        AccessPolicy.Decision d = POLICY.decide(realm(RULES, List.of(), null), user("alice", "engineering", "Employees"), oldOs);
        assertThat(d.roles()).containsExactly("staff");
        assertThat(d.remediation()).isFalse();
        assertThat(d.notes()).singleElement().asString().contains("os.version must be >= 10.0.19045, endpoint reported '10.0.19041'");
    }

    @Test
    void realmHostCheckerFailureFallsBackToTheRemediationRole() {
        Realm r = realm(RULES, List.of("antivirus"), "remediation");
        AccessPolicy.Decision d = POLICY.decide(r, user("alice", "engineering", "Employees"), Map.of("os.version", "10.0.22631"));
        assertThat(d.roles()).containsExactly("remediation");
        assertThat(d.remediation()).isTrue();
        assertThat(d.notes()).anyMatch(n -> n.contains("antivirus must be = running, endpoint reported nothing"));
    }

    @Test
    void hostCheckerFailureWithoutRemediationRoleIsRefused() {
        assertThatThrownBy(() -> POLICY.decide(realm(RULES, List.of("antivirus"), null), user("alice", "engineering"), Map.of()))
                .extracting(e -> ((BatonException) e).code()).isEqualTo(ResultCode.HOST_CHECK_FAILED);
    }

    @Test
    void passingPostureGrantsAllMappedRoles() {
        AccessPolicy.Decision d = POLICY.decide(realm(RULES, List.of("antivirus"), "remediation"), user("alice", "engineering", "Employees"), HEALTHY);
        assertThat(d.roles()).containsExactlyInAnyOrder("engineering", "staff");
        assertThat(POLICY.passedPolicies(HEALTHY)).containsExactly("antivirus", "patched");
    }

    @Test
    void configurationNamingUnknownRolesOrPoliciesFailsWithTheKey() {
        assertThatThrownBy(() -> POLICY.validate(realm(List.of(RoleMappingRule.everyone("ghost")), List.of(), null)))
                .hasMessageContaining("realm corp role mapping names unknown role 'ghost'");
        assertThatThrownBy(() -> POLICY.validate(realm(RULES, List.of("firewall"), null)))
                .hasMessageContaining("unknown Host Checker policy 'firewall'");
        assertThatThrownBy(() -> POLICY.validate(realm(RULES, List.of(), "staff")))
                .hasMessageContaining("is not marked remediation");
        assertThatThrownBy(() -> new Role("fix", REMEDIATION, List.of("antivirus")))
                .hasMessageContaining("a remediation role must not require Host Checker policies");
    }

    @Test
    void mergedOptionsOfTheGrantedRoles() {
        assertThat(POLICY.optionsFor(Set.of("staff", "remediation")).heartbeatTimeout()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void hostCheckerRequirementsParse() {
        assertThat(HostCheckerPolicy.Requirement.parse("firewall")).isEqualTo(new HostCheckerPolicy.Requirement("firewall", "present", ""));
        assertThat(new HostCheckerPolicy("fw", List.of(HostCheckerPolicy.Requirement.parse("firewall"))).passes(Map.of("firewall", "false"))).isFalse();
        assertThat(HostCheckerPolicy.Requirement.compareVersions("10.0.2", "10.0.10")).isNegative();
        assertThatThrownBy(() -> RoleMappingRule.Condition.parse("shoe=size")).hasMessageContaining("unknown subject 'shoe'");
    }
}
