package dev.baton.it;

import dev.baton.core.ResultCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * F10 with real processes: an endpoint that reboots without signing out keeps its session for a while, and
 * its agent, started anew with nothing but its owner-only state file, resumes at its gateway without
 * credentials within that window; after it, the gateway refuses and the user signs in again. The window is
 * the role's idle timeout on a {@code remote-access} gateway and its heartbeat timeout on a {@code policy}
 * gateway ({@code TimeoutRules.inactivityDeadline}); both gateways give role {@code staff} the same options,
 * so only the gateway kind tells the windows apart.
 *
 * <p>Each agent step is a new {@code baton agent} process, as after a reboot. Each gateway reads its own
 * simulated clock (an offset file this test rewrites), so half an hour passes at once.
 */
class RebootResumeIT {
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofMinutes(10);
    static final String STAFF = "{ max-session-length: 8h, idle-timeout: %s, heartbeat-timeout: %s }".formatted(IDLE_TIMEOUT, HEARTBEAT_TIMEOUT);

    /** What {@code baton agent} prints about a session: {@code resumed: alice at gateway-r (realm users), roles [staff], started ..., deadline ...}. */
    static final Pattern SAYS = Pattern.compile("(?m)^([a-z-]+): alice at ([a-z-]+) \\(realm users\\), roles \\[staff\\], started (\\S+), deadline (\\S+)$");

    @TempDir
    static Path dir;
    static Cluster cluster;
    static SimulatedClock remoteAccessClock;
    static SimulatedClock policyClock;
    static Path password;

    @BeforeAll
    static void startTheFederationAndOneGatewayOfEachKind() throws IOException {
        remoteAccessClock = new SimulatedClock(dir.resolve("gateway-r-clock-offset"));
        policyClock = new SimulatedClock(dir.resolve("gateway-p-clock-offset"));
        cluster = new Cluster(dir).startFederation("gateway-r", "gateway-p");
        cluster.startGateway("gateway-r", "remote-access", "corp", STAFF, remoteAccessClock);
        cluster.startGateway("gateway-p", "policy", "corp", STAFF, policyClock);
        password = Files.writeString(dir.resolve("alice-password"), Cluster.PASSWORD);
    }

    @AfterAll
    static void stopThem() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void onARemoteAccessGatewayARebootedEndpointResumesWithinTheIdleTimeout() {
        Endpoint alice = new Endpoint("remote-access-endpoint", "gateway-r", remoteAccessClock);

        Says signedIn = alice.signIn();
        assertThat(signedIn.deadline()).as("the idle timeout from sign-in").isBetween(signedIn.before().plus(IDLE_TIMEOUT), signedIn.after().plus(IDLE_TIMEOUT));

        // The endpoint reboots. 29 minutes after sign-in, long past the heartbeat timeout (10 min, which does not
        // apply here), and a minute inside the idle timeout, the new agent process resumes with its state file alone.
        remoteAccessClock.moveTo(signedIn.deadline().minus(Duration.ofMinutes(1)));
        assertThat(Duration.between(signedIn.start(), remoteAccessClock.now())).isGreaterThan(HEARTBEAT_TIMEOUT);
        Says resumed = alice.connect();
        assertThat(resumed.outcome()).isEqualTo("resumed");
        assertThat(resumed.start()).as("the same session").isEqualTo(signedIn.start());
        assertThat(resumed.deadline()).as("the idle timeout from the resume").isBetween(resumed.before().plus(IDLE_TIMEOUT), resumed.after().plus(IDLE_TIMEOUT));

        // It reboots again and stays silent a second longer than the idle timeout: the window has closed.
        remoteAccessClock.moveTo(resumed.deadline().plusSeconds(1));
        alice.connectIsRefused();

        // alice signs in again, with her password: a new session.
        Says again = alice.signIn();
        assertThat(again.start()).isAfter(resumed.deadline());
    }

    @Test
    void onAPolicyGatewayARebootedEndpointResumesWithinTheHeartbeatTimeout() {
        Endpoint alice = new Endpoint("policy-endpoint", "gateway-p", policyClock);

        Says signedIn = alice.signIn();
        assertThat(signedIn.deadline()).as("the heartbeat timeout from sign-in")
                .isBetween(signedIn.before().plus(HEARTBEAT_TIMEOUT), signedIn.after().plus(HEARTBEAT_TIMEOUT));

        // The endpoint reboots. 9 minutes after sign-in, a minute inside the heartbeat timeout, the new agent
        // process resumes with its state file alone.
        policyClock.moveTo(signedIn.deadline().minus(Duration.ofMinutes(1)));
        Says resumed = alice.connect();
        assertThat(resumed.outcome()).isEqualTo("resumed");
        assertThat(resumed.start()).as("the same session").isEqualTo(signedIn.start());
        assertThat(resumed.deadline()).as("the heartbeat timeout from the resume")
                .isBetween(resumed.before().plus(HEARTBEAT_TIMEOUT), resumed.after().plus(HEARTBEAT_TIMEOUT));

        // It reboots again and stays silent a second longer than the heartbeat timeout: the window has closed,
        // although the idle timeout (30 min, which does not apply here) would still allow it.
        policyClock.moveTo(resumed.deadline().plusSeconds(1));
        assertThat(Duration.between(resumed.before(), policyClock.now())).isLessThan(IDLE_TIMEOUT);
        alice.connectIsRefused();

        // alice signs in again, with her password: a new session.
        Says again = alice.signIn();
        assertThat(again.start()).isAfter(resumed.deadline());
    }

    /** What the agent printed about the session, and the gateway's simulated time just before and after it ran. */
    record Says(String outcome, String gateway, Instant start, Instant deadline, Instant before, Instant after) {
    }

    /** alice's endpoint: every step is a new {@code baton agent} process; only its state file lives on. */
    static final class Endpoint {
        private final String name;
        private final String gateway;
        private final SimulatedClock clock;
        private final Path state;
        private int runs;

        Endpoint(String name, String gateway, SimulatedClock clock) {
            this.name = name;
            this.gateway = gateway;
            this.clock = clock;
            this.state = dir.resolve(name + ".state");
        }

        /** Signs in with alice's password; the agent keeps the session in an owner-only state file. */
        Says signIn() {
            Says says = run("sign-in", "--realm", "users", "--user", "alice", "--password-file", password.toString());
            assertThat(says.outcome()).isEqualTo("signed-in");
            try {
                assertThat(Files.getPosixFilePermissions(state)).as("the state file is the owner's only")
                        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return says;
        }

        /** Connects with the kept session: no password is given, only the state file's id and key. */
        Says connect() {
            return run("connect");
        }

        /**
         * Connects after the window: the gateway refuses, and the agent exits with the status of an expired session
         * (5). The gateway ended the session at its deadline and remembers why, so the answer names the idle or
         * heartbeat timeout (issue 19: it used to say that no gateway of the federation holds the session), or, had
         * its expiry sweep been half done at that instant, that the session ended there. Either way: sign in again.
         */
        void connectIsRefused() {
            BatonProcess.Run run = agent("connect");
            assertThat(run.status()).as(run.toString()).isEqualTo(ResultCode.SESSION_EXPIRED.exitStatus());
            assertThat(run.err().strip()).as(run.toString()).matches("baton: SESSION_EXPIRED: the session ended on gateway \\S+: "
                    + "(its (idle|heartbeat) timeout passed \\((idle|heartbeat)-timeout .*|it timed out or was ended here); sign in again");
            assertThat(run.out()).as(run.toString()).isEmpty();
        }

        private Says run(String... command) {
            Instant before = clock.now();
            BatonProcess.Run run = agent(command);
            Instant after = clock.now();
            assertThat(run.status()).as(run.toString()).isZero();
            Matcher m = SAYS.matcher(run.out());
            assertThat(m.find()).as(run.toString()).isTrue();
            assertThat(m.group(2)).isEqualTo(gateway);
            return new Says(m.group(1), m.group(2), Instant.parse(m.group(3)), Instant.parse(m.group(4)), before, after);
        }

        private BatonProcess.Run agent(String... command) {
            String[] args = new String[6 + command.length];
            System.arraycopy(new String[] {"agent", "--state", state.toString(), "--gateway", cluster.url(gateway).toString(), "--insecure"}, 0, args, 0, 6);
            System.arraycopy(command, 0, args, 6, command.length);
            return BatonProcess.run(name + "-" + (++runs) + "-" + command[0], dir, args);
        }
    }
}
