package dev.baton.sso;

import dev.baton.core.SessionId;
import dev.baton.store.TimestampColumn;
import dev.baton.store.ldap.DirectoryPurgeTask;
import dev.baton.store.ldap.LdapSessionStore;
import dev.baton.store.ldap.LdapStoreSettings;
import dev.baton.store.ldap.LdapTls;
import dev.baton.store.ldap.PurgeSettings;
import dev.baton.testing.ThrowawaySlapd;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication sessions in an OpenLDAP directory (a throwaway slapd): a browser stays signed in across a restart,
 * and the throttled directory purge (S5) removes the expired session as it removes agent sessions.
 */
class SsoDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void aBrowserStaysSignedInAcrossARestartOnSlapdAndThePurgeRemovesTheExpiredSession() {
        if (ThrowawaySlapd.findBinary().isEmpty()) {
            if (Boolean.getBoolean("baton.allowSkip")) {
                Assumptions.abort("slapd is not installed and baton.allowSkip=true");
            }
            throw new IllegalStateException("slapd is not installed: run ./baton test, which installs it");
        }
        try (ThrowawaySlapd slapd = ThrowawaySlapd.start(LdapSessionStore.class.getResource("/dev/baton/store/ldap/baton.schema"))) {
            LdapStoreSettings settings = LdapStoreSettings.of(List.of(new LdapStoreSettings.Server("127.0.0.1", slapd.port())),
                    ThrowawaySlapd.ROOT_DN, ThrowawaySlapd.PASSWORD, "ou=sessions-sso," + ThrowawaySlapd.SUFFIX).withTls(LdapTls.none());
            int port = SsoRig.freePort();
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            TestBrowser browser = new TestBrowser();
            try (LdapSessionStore store = LdapSessionStore.connect(settings);
                 SsoRig rig = new SsoRig(store, dir, port, "http://127.0.0.1:1/x", start)) {
                SsoFlowTest.Ask ask = SsoFlowTest.Ask.of("app1", SsoFlowTest.APP1_CB);
                HttpResponse<String> page = browser.get(ask.url(rig.issuer(), ""));
                assertThat(browser.post(rig.issuer() + "/sign-in", Map.of("flow", TestBrowser.flow(page), "realm", "staff",
                        "username", "carol", "password", "carol-pw")).statusCode()).isEqualTo(303);
            }
            try (LdapSessionStore store = LdapSessionStore.connect(settings);
                 SsoRig rig = new SsoRig(store, dir, port, "http://127.0.0.1:1/x", start.plus(Duration.ofMinutes(20)))) {
                assertThat(browser.get(SsoFlowTest.Ask.of("app2", SsoFlowTest.APP2_CB).url(rig.issuer(), "")).statusCode())
                        .as("still signed in after the restart").isEqualTo(302);
                var hash = SessionId.hashOf(browser.cookie(Cookies.SESSION).getValue());
                assertThat(store.load(hash)).isPresent();
                rig.clock.advance(Duration.ofDays(2));
                try (DirectoryPurgeTask purge = new DirectoryPurgeTask(store, new PurgeSettings("purge", true, Duration.ofMinutes(10),
                        Duration.ofMillis(200), 0, 1, 1, TimestampColumn.EXPIRY_TIME, 500, 3, "n1", null), rig.clock, new SimpleMeterRegistry())) {
                    assertThat(purge.runOnce().deleted()).isGreaterThanOrEqualTo(1);
                }
                assertThat(store.load(hash)).as("purged").isEmpty();
            }
        }
    }
}
