package dev.baton.bench;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Baton's federation server as a user runs it: {@code java -jar baton.jar federation} in its own JVM, as
 * the {@code baton} script starts it (the same {@code java}, no JVM options but {@code BATON_JAVA_OPTS}
 * when set, as the script passes them), with only what a user must give: a users file, a port on
 * {@code 127.0.0.1} and a data folder (a temp one, where the server generates its certificate and keeps
 * its H2 database of forever metadata). Everything else is the shipped default: no {@code --policy}, H2
 * on disk, logging at WARN.
 *
 * <p>The jar is {@code baton-cli/target/baton.jar} of the source tree this benchmark was built in, or the
 * file the system property {@code baton.cli.jar} names. Closing stops the process ({@link ChildServer})
 * and deletes the temp folder.
 */
public final class BatonProcess implements FederationUnderTest {
    static final String NAME = "baton_process";
    static final String JAR_PROPERTY = "baton.cli.jar";

    private final ChildServer process;
    private final Path workDir;

    private BatonProcess(ChildServer process, Path workDir) {
        this.process = process;
        this.workDir = workDir;
    }

    /**
     * Starts {@code baton federation} from the built jar and waits until it listens; empty, with the reason
     * told to {@code note} (which also hears the
     * command line), when there is no built jar.
     *
     * @throws BatonException ({@link ResultCode#INTERNAL}) when the process cannot be started
     */
    static Optional<FederationUnderTest> start(Consumer<String> note) {
        Optional<Path> jar = cliJar();
        if (jar.isEmpty()) {
            note.accept(NAME + ": no built baton-cli/target/baton.jar (build it with baton-cli, or set -D"
                    + JAR_PROPERTY + "=FILE)");
            return Optional.empty();
        }
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("baton-bench-process-");
            Path users = Files.writeString(workDir.resolve("users.txt"), PUBLISHER.user() + ":" + PUBLISHER.password()
                    + "\n" + SUBSCRIBER.user() + ":" + SUBSCRIBER.password() + "\n");
            Path policy = Files.writeString(workDir.resolve("policy.yaml"), BENCH_POLICY_YAML);
            int port = ChildServer.freeLoopbackPort();
            List<String> command = command(jar.get(), port, users, workDir.resolve("data"), policy);
            note.accept(NAME + ": " + String.join(" ", command) + logLevelNote());
            return Optional.of(new BatonProcess(ChildServer.start(NAME, command, workDir, port), workDir));
        } catch (IOException | RuntimeException e) {
            deleteQuietly(workDir);
            throw new BatonException(ResultCode.INTERNAL, "baton federation process could not be started: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteQuietly(workDir);
            throw new BatonException(ResultCode.INTERNAL, "interrupted while starting baton federation", e);
        }
    }

    /**
     * The one departure from the defaults, for the in-process server and the process alike: a publisher may hold
     * ten million metadata elements instead of one million. The workload's publisher never deletes what it
     * publishes (a gateway deletes a session's data when it ends), so by the end of a full run it holds about a
     * million, which the default quota refuses.
     */
    static final String BENCH_POLICY_YAML = "default-role: publisher\nclients: {}\nquotas:\n  publisher: {max-metadata: 10000000}\n";
    static final dev.baton.ifmap.server.FederationPolicy BENCH_POLICY = dev.baton.ifmap.server.FederationPolicy.of(Map.of(),
            dev.baton.ifmap.server.PublisherRights.PUBLISHER.withQuotas(1_000, 10_000_000));

    /** The server inherits BATON_LOG_LEVEL as from ./baton; below WARN it logs while measured. */
    private static String logLevelNote() {
        String level = System.getenv("BATON_LOG_LEVEL");
        return level == null || level.isBlank() ? "" : " (with BATON_LOG_LEVEL=" + level + " from the environment)";
    }

    /** The command line, as {@code ./baton federation --listen ... --basic-auth-users ... --data-dir ...} runs. */
    static List<String> command(Path jar, int port, Path users, Path dataDir, Path policy) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String options = System.getenv("BATON_JAVA_OPTS");
        if (options != null && !options.isBlank()) {
            command.addAll(Arrays.asList(options.strip().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "federation", "--listen", "127.0.0.1:" + port,
                "--basic-auth-users", users.toString(), "--data-dir", dataDir.toString(), "--policy", policy.toString()));
        return command;
    }

    /**
     * The jar named by {@code -Dbaton.cli.jar}, else baton-cli's build output beside baton-bench's. Public for the
     * benchmarks in sub-packages that run a gateway process.
     */
    public static Optional<Path> cliJar() {
        String named = System.getProperty(JAR_PROPERTY);
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named)).filter(Files::isRegularFile);
        }
        try {
            Path here = Path.of(BatonProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // baton-bench/target/classes or baton-bench/target/baton-bench-*.jar
            for (Path dir = here.getParent(); dir != null; dir = dir.getParent()) {
                Path jar = dir.resolve("baton-cli").resolve("target").resolve("baton.jar");
                if (Files.isRegularFile(jar)) {
                    return Optional.of(jar);
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static void deleteQuietly(Path dir) {
        if (dir != null) {
            IrondHome.deleteTree(dir);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint(process.url(), PUBLISHER, SUBSCRIBER);
    }

    /** The server's process id, for profiling it. */
    long pid() {
        return process.pid();
    }

    @Override
    public Optional<String> consoleSummary() {
        return Optional.of(process.consoleSummary());
    }

    @Override
    public void close() {
        process.close();
        IrondHome.deleteTree(workDir);
    }
}
