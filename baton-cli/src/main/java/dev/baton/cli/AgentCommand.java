package dev.baton.cli;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentState;
import dev.baton.agent.AgentTls;
import dev.baton.agent.HttpGatewayEndpoint;
import dev.baton.core.BatonException;
import dev.baton.core.Loopback;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionId;
import dev.baton.core.api.AccessResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code baton agent ...}: the endpoint agent from the command line. State is kept in an owner-only file. */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "The endpoint agent: sign in, connect, keep alive, status, sign out.",
        subcommands = {AgentCommand.SignIn.class, AgentCommand.Connect.class, AgentCommand.KeepAlive.class,
                AgentCommand.Status.class, AgentCommand.SignOut.class})
final class AgentCommand {
    /** Its default is {@code $HOME/.baton/agent.state} ({@link AgentState#defaultFile}), set by {@link BatonCommand}. */
    @Option(names = "--state", paramLabel = "FILE", description = "Agent state file: session id and private key, owner-only "
            + "(default: $HOME/.baton/agent.state, now ${DEFAULT-VALUE}). Give each agent of one user its own file, "
            + "or its own HOME.")
    Path state;

    @Option(names = "--gateway", description = "Gateway (or load balancer) URL, e.g. https://127.0.0.1:8444.")
    URI gateway;

    @Option(names = "--insecure", description = "Trust any gateway certificate: for a self-signed gateway on loopback only "
            + "(127.0.0.0/8, ::1, localhost); refused for any other host.")
    boolean insecure;

    @Option(names = "--truststore", description = "PKCS#12 truststore with the gateways' certificates.")
    Path truststore;

    @Option(names = "--truststore-password", defaultValue = "", description = "Truststore password.")
    String truststorePassword;

    @Option(names = "--posture", description = "A posture fact for Host Checker, NAME=VALUE; repeatable.")
    Map<String, String> posture = new LinkedHashMap<>();

    @Option(names = "--timeout", defaultValue = "10s", description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
    String timeout;

    HttpGatewayEndpoint endpoint() {
        if (gateway == null) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "--gateway URL is required: the gateway's (or load"
                    + " balancer's) agent API, e.g. --gateway https://127.0.0.1:8444");
        }
        if (!insecure && truststore == null) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "give --truststore FILE, or --insecure for a self-signed gateway on loopback");
        }
        // Elsewhere anyone on the path could pose as the gateway and take the password given at sign-in.
        if (insecure && !Loopback.isLoopbackUrl(gateway.toString())) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "--insecure is refused for " + gateway + ": its host "
                    + Loopback.hostOf(gateway.toString()) + " is not a loopback address (127.0.0.0/8, ::1, localhost);"
                    + " give --truststore FILE with the gateway's certificate");
        }
        return new HttpGatewayEndpoint(gateway, insecure ? AgentTls.trustAll() : AgentTls.truststore(truststore, truststorePassword.toCharArray()),
                dev.baton.core.config.ConfigNode.parseDuration(timeout, "--timeout"));
    }

    Agent agent() {
        return new Agent(state, posture);
    }

    static void print(PrintWriter out, AccessResult r) {
        out.printf("%s: %s at %s (realm %s), roles %s%s, started %s, deadline %s%n", r.outcome(), r.user(), r.gateway(), r.realm(),
                r.roles(), r.remediation() ? " (remediation)" : "", r.startTime(), r.deadline());
        out.flush();
    }

    @Command(name = "sign-in", mixinStandardHelpOptions = true, description = {"Sign in at a realm. With --user, the password "
            + "is read from standard input (one line) or --password-file. Without --user nothing is read: for anonymous "
            + "realms (everyone signs in as the realm's one user name) and certificate realms."})
    static final class SignIn implements Callable<Integer> {
        @ParentCommand
        AgentCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--realm", required = true, description = "The realm to sign in to, as the gateway's configuration names it.")
        String realm;
        @Option(names = "--user", description = "The user name; leave out for anonymous and certificate realms.")
        String user;
        @Option(names = "--password-file", description = "Read the password from this file instead of standard input.")
        Path passwordFile;

        @Override
        public Integer call() throws Exception {
            String password = password();
            print(spec.commandLine().getOut(), parent.agent().signIn(parent.endpoint(), realm, user == null ? "" : user, password));
            return 0;
        }

        /** The password: from the file, else a line of standard input when a user is named, else none. */
        private String password() throws java.io.IOException {
            if (passwordFile != null) {
                return Files.readString(passwordFile).strip();
            }
            if (user == null) {
                return "";
            }
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new BatonException(ResultCode.INVALID_REQUEST, "no password on standard input: give it there (one line) or"
                        + " with --password-file FILE; anonymous and certificate realms need no --user and no password");
            }
            return line;
        }
    }

    @Command(name = "connect", mixinStandardHelpOptions = true, description = "Connect with the kept session: resume or migrate, with proof of possession.")
    static final class Connect implements Callable<Integer> {
        @ParentCommand
        AgentCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            print(spec.commandLine().getOut(), parent.agent().connect(parent.endpoint()));
            return 0;
        }
    }

    @Command(name = "keep-alive", mixinStandardHelpOptions = true,
            description = "Send heartbeats on a timer; if the gateway is gone or no longer holds the session, reconnect (migrates).")
    static final class KeepAlive implements Callable<Integer> {
        @ParentCommand
        AgentCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--interval", defaultValue = "30s", description = "Time between heartbeats (default: ${DEFAULT-VALUE}).")
        String interval;
        @Option(names = "--count", defaultValue = "0", description = "Stop after this many heartbeats; 0 runs until stopped.")
        long count;

        @Override
        public Integer call() throws InterruptedException {
            Duration pause = dev.baton.core.config.ConfigNode.parseDuration(interval, "--interval");
            Agent agent = parent.agent();
            HttpGatewayEndpoint endpoint = parent.endpoint();
            for (long i = 0; count == 0 || i < count; i++) {
                print(spec.commandLine().getOut(), agent.keepAlive(endpoint, 10, Duration.ofMillis(500)));
                if (count == 0 || i + 1 < count) {
                    Thread.sleep(pause);
                }
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the kept session (hash only) and, with --gateway, its state there.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        AgentCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            AgentState s = AgentState.load(parent.state);
            if (!s.signedIn()) {
                out.println("no session kept in " + parent.state + "; sign in first (baton agent --gateway URL sign-in --realm NAME ...)");
                out.flush();
                return ResultCode.UNKNOWN_SESSION.exitStatus();
            }
            out.printf("session %s, last gateway %s%n", SessionId.hashOf(s.sessionId()).abbreviated(), s.gateway());
            if (parent.gateway != null) {
                print(out, parent.agent().access(parent.endpoint()));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "sign-out", mixinStandardHelpOptions = true, description = "Sign out and forget the session.")
    static final class SignOut implements Callable<Integer> {
        @ParentCommand
        AgentCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            parent.agent().signOut(parent.endpoint());
            spec.commandLine().getOut().println("signed out");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
