package dev.baton.sso;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.gateway.config.GatewayConfigFile;
import dev.baton.gateway.config.GatewaySettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The YAML sso section: read once, and every mistake named by its key. */
class SsoSettingsTest {
    static SsoSettings read(String yaml) {
        GatewaySettings s = new GatewayConfigFile().parse(yaml);
        return SsoSettings.read(s.sso().orElseThrow(), s.gateway());
    }

    static String valid() {
        return SsoRig.YAML.replace("PORT", "9445").replace("BACKCHANNEL", "http://127.0.0.1:8081/app1/cb?logout=backchannel");
    }

    static void refused(String yaml, String... message) {
        assertThatThrownBy(() -> read(yaml)).isInstanceOf(BatonException.class)
                .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.CONFIGURATION))
                .message().contains(message);
    }

    @Test
    void aValidSectionIsReadWithItsDefaults() {
        SsoSettings s = read(valid());
        assertThat(s.issuer().toString()).isEqualTo("https://127.0.0.1:9445");
        assertThat(s.realms()).containsOnlyKeys("users", "staff");
        assertThat(s.realms().get("staff").persistent()).isTrue();
        assertThat(s.realms().get("users").keepSignedIn()).isTrue();
        assertThat(s.client("spa").orElseThrow().isPublic()).isTrue();
        assertThat(s.client("app2").orElseThrow().scopes()).contains("openid", "profile", "email");
        assertThat(s.accessTokenLifetime()).hasMinutes(5);
    }

    @Test
    void mistakesAreNamedByTheirKey() {
        refused(valid().replace("users: { keep-me-signed-in: true }", "nobody: {}"), "sso.realms.nobody", "no realm named 'nobody'");
        refused(valid().replace("secret: app2-secret-0123456789", "secret: short"), "sso.clients.app2.secret", "at least 16");
        refused(valid().replace("redirect-uris: [http://127.0.0.1:8082/app2/cb]", "redirect-uris: [http://apps.example/cb]"),
                "sso.clients.app2.redirect-uris", "must use https");
        refused(valid().replace("redirect-uris: [http://127.0.0.1:8082/app2/cb]", "redirect-uris: [\"https://a.example/cb#x\"]"),
                "without a fragment");
        refused(valid().replace("scopes: [openid, profile, email, roles]", "scopes: [openid, admin]"), "unknown scope 'admin'");
        refused(valid().replace("      public: true\n", "      public: false\n"), "sso.clients.spa.secret", "is required");
        refused(valid().replace("issuer: https://127.0.0.1:9445", "issuer: http://sso.example"), "sso.issuer", "https");
        refused(valid().replace("  realms:\n    users:", "  realm:\n    users:"), "sso", "realm");
        refused(valid().replace("access-token-lifetime", "x").replace("  realms:\n    users", "  access-token-lifetime: 2h\n  realms:\n    users"),
                "sso.access-token-lifetime", "at most 1h");
    }
}
