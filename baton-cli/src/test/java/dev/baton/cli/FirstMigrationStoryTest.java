package dev.baton.cli;

import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's story over a real IF-MAP server and HTTPS gateways, step by step: what the narration says is what happened. */
class FirstMigrationStoryTest {

    @Test
    void signInMigrateDropAndRefuseAsTheDemoNarrates() {
        StringWriter text = new StringWriter();
        MigrationDemo.Outcome o = new MigrationDemo(new PrintWriter(text)).run();

        assertThat(o.signedIn().gateway()).isEqualTo("gateway-a");
        assertThat(o.signedIn().outcome()).isEqualTo("signed-in");
        assertThat(o.migrated().gateway()).isEqualTo("gateway-b");
        assertThat(o.migrated().outcome()).isEqualTo("migrated");
        assertThat(o.migrated().startTime()).isEqualTo(o.signedIn().startTime());
        assertThat(o.migrated().deadline()).isBeforeOrEqualTo(o.signedIn().startTime().plus(Duration.ofHours(10)));
        assertThat(o.aHeldAfterMigration()).isFalse();
        assertThat(o.oldSessionAtA().code()).isEqualTo(ResultCode.UNKNOWN_SESSION);
        assertThat(o.stolenId().code()).isEqualTo(ResultCode.AUTHENTICATION_FAILED);
        assertThat(o.federationOwner()).isEqualTo("gateway-b");
        assertThat(o.crossGroup().code()).isEqualTo(ResultCode.MIGRATION_REFUSED);
        assertThat(o.crossGroup().getMessage()).contains("authentication group corp");

        assertThat(text.toString())
                .contains("who holds it: gateway-a=yes gateway-b=no gateway-c=no")
                .contains("who holds it: gateway-a=no gateway-b=yes gateway-c=no")
                .contains("no password asked: migrated")
                .contains("The old session at gateway-a is refused")
                .contains("Done: exactly one gateway holds alice's session.")
                .doesNotContain(o.hash().hex());
    }

    @Test
    void theDemoWaitsForABrowserOnlyOnATerminal() {
        assertThat(DemoCommand.untilEnter(null)).isEmpty();
        assertThat(DemoCommand.untilEnter(System.console())).as("surefire's JVM has no terminal").isEmpty();
    }

    @Test
    void demoCommandExitsZeroWithoutWaitingAndUnknownCommandsDoNot() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(BatonCommand.execute(new PrintWriter(out), new PrintWriter(err), "demo")).isZero();
        assertThat(out.toString()).contains("1. alice signs in at gateway-a")
                .contains("Browser sign-on:", "Signed in as alice")
                .as("no terminal here: the demo does not wait for a browser").contains("Not waiting for a browser")
                .doesNotContain("Serving until Enter");
        assertThat(BatonCommand.execute(new PrintWriter(out), new PrintWriter(err), "demo", "--help")).isZero();
        assertThat(out.toString()).contains("--no-wait");
        assertThat(BatonCommand.execute(new PrintWriter(out), new PrintWriter(err), "no-such-command")).isNotZero();
        assertThat(err.toString()).contains("no-such-command");
    }
}
