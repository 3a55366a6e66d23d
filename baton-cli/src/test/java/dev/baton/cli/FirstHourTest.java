package dev.baton.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.baton.core.ResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new operator's first hour (issue 19), through the {@code baton} command as typed at a shell: agents with homes of
 * their own, an anonymous sign-in, {@code --check}'s effective values, and refusals that name their cause and the
 * next step with the documented exit status. The gateway runs from YAML on a clock the test moves.
 */
class FirstHourTest {
    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private AttackRig rig;
    private GatewayNode gateway;

    /** What one command said: its exit status, standard output and standard error. */
    record Said(int status, String out, String err) {
    }

    private Said baton(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = BatonCommand.execute(new PrintWriter(out), new PrintWriter(err), env, args);
        return new Said(status, out.toString(), err.toString());
    }

    private Path config() throws Exception {
        Path config = dir.resolve("gw-a.yaml");
        Files.writeString(config, """
                name: gw-a
                listen: 127.0.0.1:0
                federation: { url: "%s", password: %s, trust-all: true }
                storage: { type: memory }
                roles: { staff: {} }
                realms:
                  - name: users
                    auth-group: corp
                    auth-server: { kind: local, accounts: [ { username: alice, password: "%s" }, { username: bob, password: "%s" } ] }
                    role-mapping: [ { when: ["username=*"], roles: [staff] } ]
                  - { name: guests, auth-server: { kind: anonymous }, role-mapping: [ { when: [], roles: [staff] } ] }
                """.formatted(rig == null ? "https://127.0.0.1:8443" : rig.federation.url(), AttackRig.FEDERATION_USERS.get("gw-a"),
                AttackRig.PASSWORD, AttackRig.PASSWORD));
        return config;
    }

    private String start() throws Exception {
        rig = new AttackRig(dir);
        gateway = GatewayNode.start(GatewayCommand.Gateways.reader().read(config()), dir.resolve("data"), now::get);
        Files.writeString(dir.resolve("password"), AttackRig.PASSWORD);
        return gateway.url().toString();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    private Said agent(Path home, String url, String... command) {
        String[] args = new String[4 + command.length];
        args[0] = "agent";
        args[1] = "--gateway";
        args[2] = url;
        args[3] = "--insecure";
        System.arraycopy(command, 0, args, 4, command.length);
        return baton(Map.of("HOME", home.toString()), args);
    }

    @Test
    void twoAgentsWithHomesOfTheirOwnKeepTwoSessionsInTwoStateFolders() throws Exception {
        String url = start();
        Path aliceHome = dir.resolve("alice-home");
        Path bobHome = dir.resolve("bob-home");
        String password = dir.resolve("password").toString();
        assertThat(agent(aliceHome, url, "sign-in", "--realm", "users", "--user", "alice", "--password-file", password).status()).isZero();
        assertThat(agent(bobHome, url, "sign-in", "--realm", "users", "--user", "bob", "--password-file", password).status()).isZero();

        assertThat(aliceHome.resolve(".baton/agent.state")).exists();
        assertThat(bobHome.resolve(".baton/agent.state")).exists();
        Said alice = agent(aliceHome, url, "status");
        Said bob = agent(bobHome, url, "status");
        assertThat(alice.out()).contains("active: alice at gw-a");
        assertThat(bob.out()).contains("active: bob at gw-a");
        assertThat(alice.out().lines().findFirst()).isNotEqualTo(bob.out().lines().findFirst()); // two session hashes
        assertThat(baton(Map.of("HOME", aliceHome.toString()), "agent", "--help").out().replaceAll("\\s+", ""))
                .contains("$HOME/.baton/agent.state,now" + aliceHome.resolve(".baton/agent.state"));
    }

    @Test
    void anAnonymousSignInNeedsNoUserAndNoPassword() throws Exception {
        String url = start();
        Said said = agent(dir.resolve("home"), url, "sign-in", "--realm", "guests");
        assertThat(said.status()).as(said.err()).isZero();
        assertThat(said.out()).contains("signed-in: anonymous at gw-a (realm guests)");
    }

    @Test
    void checkPrintsTheEffectiveValuesWithTheDefaultsFilledIn() throws Exception {
        Said said = baton(Map.of(), "gateway", "--config", config().toString(), "--data-dir", dir.resolve("data").toString(), "--check");
        assertThat(said.status()).isZero();
        assertThat(said.out()).contains("configuration of gateway gw-a is valid")
                .contains("federation: url https://127.0.0.1:8443, user gw-a, password ****")
                .contains("tls: self-signed, generated on first start in " + dir.resolve("data/gw-a-tls.p12").toAbsolutePath())
                .contains("kind: remote-access").contains("realms: users (local, group corp); guests (anonymous)")
                .doesNotContain(AttackRig.FEDERATION_USERS.get("gw-a")).doesNotContain("user=,");
    }

    @Test
    void refusalsNameTheirCauseAndTheNextStepWithTheDocumentedExitStatus() throws Exception {
        String url = start();
        Path home = dir.resolve("home");
        Files.writeString(dir.resolve("wrong"), "wrong");

        Said wrong = agent(home, url, "sign-in", "--realm", "users", "--user", "alice", "--password-file", dir.resolve("wrong").toString());
        assertThat(wrong.status()).isEqualTo(3);
        assertThat(wrong.err()).contains("baton: AUTHENTICATION_FAILED: wrong username or password for realm users; check both and try again");

        Said noRealm = agent(home, url, "sign-in", "--realm", "staff");
        assertThat(noRealm.status()).isEqualTo(2);
        assertThat(noRealm.err()).contains("baton: INVALID_REQUEST: gateway gw-a has no realm named 'staff'");

        Said none = agent(home, url, "status");
        assertThat(none.status()).isEqualTo(5);
        assertThat(none.out()).contains("no session");

        assertThat(agent(home, url, "sign-in", "--realm", "users", "--user", "alice", "--password-file",
                dir.resolve("password").toString()).status()).isZero();
        // Regression: after the reboot window the answer was "no gateway of the federation holds this session".
        now.set(now.get().plus(Duration.ofMinutes(31)));
        Said late = agent(home, url, "connect");
        assertThat(late.status()).isEqualTo(5);
        assertThat(late.err().strip()).isEqualTo("baton: SESSION_EXPIRED: the session ended on gateway gw-a: its idle timeout passed"
                + " (idle-timeout 30 m without a request on this remote-access gateway; that is also how long a rebooted"
                + " endpoint may resume); sign in again");

        Said unreachable = agent(home, "https://127.0.0.1:1", "connect");
        assertThat(unreachable.status()).isEqualTo(11);
        assertThat(unreachable.err()).contains("baton: UNAVAILABLE: gateway https://127.0.0.1:1 is unreachable")
                .contains("check --gateway and that the gateway runs and listens there");

        Said usage = baton(Map.of(), "agent", "sign-in");
        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required option: '--realm=<realm>'");
    }

    @Test
    void theHelpListsEveryExitStatusAndTheEnvironmentVariables() {
        Said help = baton(Map.of(), "--help");
        assertThat(help.status()).isZero();
        for (ResultCode code : ResultCode.values()) {
            assertThat(help.out()).containsPattern("(?m)^\\s+" + code.exitStatus() + "  .*\\b" + code.name() + "\\b");
        }
        assertThat(help.out()).contains("BATON_LOG_LEVEL", "BATON_EVENT_LOG_LEVEL", "BATON_JAVA_OPTS", "JAVA_HOME", "$HOME/.baton/agent.state");
    }

    @Test
    void theBatonCommandsLogbackConfigurationLogsOperatorEventsByDefault() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback.xml"));
        assertThat(context.getLogger("baton.events").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("dev.baton.gateway.Gateway").getEffectiveLevel()).isEqualTo(Level.WARN);
        context.stop();
    }
}
