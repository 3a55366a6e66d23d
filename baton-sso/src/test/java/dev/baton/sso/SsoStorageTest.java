package dev.baton.sso;

import com.nimbusds.jwt.SignedJWT;
import dev.baton.core.SessionId;
import dev.baton.store.CleanupLease;
import dev.baton.store.CleanupProgress;
import dev.baton.store.CleanupReport;
import dev.baton.store.CleanupSettings;
import dev.baton.store.CleanupTask;
import dev.baton.store.SessionStore;
import dev.baton.store.jdbc.JdbcSessionStore;
import dev.baton.store.jdbc.JdbcStoreConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication sessions in external storage: they survive a restart of the gateway with its provider (H2 file and
 * PostgreSQL), the tokens after the restart are signed with the same published key, and the database cleanup
 * removes them once expired, as it does agent sessions.
 */
class SsoStorageTest {
    static final String PG_URL = System.getenv().getOrDefault("BATON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @TempDir
    Path dir;

    Supplier<SessionStore> store(String kind) {
        String prefix = "sso_t" + Long.toHexString(System.nanoTime() & 0xffffffL) + "_";
        JdbcStoreConfig config = kind.equals("h2")
                ? JdbcStoreConfig.of("jdbc:h2:file:" + dir.resolve("sessions").toAbsolutePath(), "", "")
                : JdbcStoreConfig.of(PG_URL, "", "").withTablePrefix(prefix);
        return () -> JdbcSessionStore.open(config);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aSignedInBrowserStaysSignedInAcrossARestartAndCleanupRemovesTheExpiredSession(String kind) throws Exception {
        Supplier<SessionStore> open = store(kind);
        int port = SsoRig.freePort();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TestBrowser browser = new TestBrowser();
        SsoFlowTest.Ask ask = SsoFlowTest.Ask.of("app1", SsoFlowTest.APP1_CB);
        String kidBefore;
        try (SessionStore store = open.get(); SsoRig rig = new SsoRig(store, dir, port, "http://127.0.0.1:1/x", start)) {
            HttpResponse<String> page = browser.get(ask.url(rig.issuer(), ""));
            HttpResponse<String> done = browser.post(rig.issuer() + "/sign-in", Map.of("flow", TestBrowser.flow(page),
                    "realm", "staff", "username", "carol", "password", "carol-pw"));
            assertThat(done.statusCode()).isEqualTo(303);
            kidBefore = kid(rig, ask, TestBrowser.query(done).get("code"));
        }
        try (SessionStore store = open.get(); SsoRig rig = new SsoRig(store, dir, port, "http://127.0.0.1:1/x", start.plus(Duration.ofMinutes(20)))) {
            SsoFlowTest.Ask after = SsoFlowTest.Ask.of("app2", SsoFlowTest.APP2_CB);
            HttpResponse<String> sso = browser.get(after.url(rig.issuer(), ""));
            assertThat(sso.statusCode()).as("still signed in after the restart").isEqualTo(302);
            assertThat(kid(rig, after, TestBrowser.query(sso).get("code"))).isEqualTo(kidBefore);

            var hash = SessionId.hashOf(browser.cookie(Cookies.SESSION).getValue());
            assertThat(store.load(hash)).isPresent();
            rig.clock.advance(Duration.ofDays(2));
            CleanupTask cleanup = new CleanupTask(store, (CleanupLease) store, CleanupSettings.DEFAULTS, "gw-sso", rig.clock,
                    new SimpleMeterRegistry());
            CleanupReport report = cleanup.runOnce(CleanupProgress.NONE);
            assertThat(report.deleted()).isGreaterThanOrEqualTo(1);
            assertThat(store.load(hash)).as("the cleanup removed the expired authentication session").isEmpty();
        }
    }

    private static String kid(SsoRig rig, SsoFlowTest.Ask ask, String code) throws Exception {
        SsoFlowTest helper = new SsoFlowTest();
        helper.rig = rig;
        HttpResponse<String> tokens = helper.token(code, ask, ask.client().equals("app1") ? "app1-secret-0123456789" : "app2-secret-0123456789",
                ask.verifier().getValue());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        return SignedJWT.parse(SsoFlowTest.json(tokens).getAsString("id_token")).getHeader().getKeyID();
    }
}
