package dev.baton.bench.sso;

import dev.baton.bench.BatonProcess;
import dev.baton.bench.ChildServer;
import dev.baton.core.Argon2id;
import dev.baton.ifmap.server.BasicAuthUsers;
import dev.baton.ifmap.server.IfmapServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Baton's side of the sso benchmark, as a user runs it: {@code java -jar baton.jar gateway --config gw.yaml
 * --data-dir DIR} in its own JVM (the benchmark's {@code java}, JVM options only from {@code BATON_JAVA_OPTS}),
 * with an {@code sso:} section, H2 storage in a temp data folder (agent and authentication sessions alike), one
 * local-account realm whose user's Argon2id hash has Keycloak's default cost ({@link #MEMORY_KIB} KiB,
 * {@link #ITERATIONS} passes, one lane), and the benchmark's confidential client. Everything else is the
 * shipped default, admission control included; logging at WARN. A gateway needs a federation server: one runs
 * in the benchmark's JVM ({@code IfmapServer}, loopback, its generated certificate, H2 in the temp folder).
 * The provider's endpoints are read from its discovery document. Closing stops both and deletes the folder.
 * Not thread safe.
 */
final class BatonSsoGateway implements ProviderUnderTest {
    static final String NAME = "baton";
    /** Keycloak 26's Argon2 default memory ({@code Argon2Parameters.DEFAULT_MEMORY}), KiB. */
    static final int MEMORY_KIB = 7168;
    /** Keycloak 26's Argon2 default passes ({@code Argon2Parameters.DEFAULT_ITERATIONS}). */
    static final int ITERATIONS = 5;
    private static final String GATEWAY = "bench-gw";
    static final String MAX_CONCURRENT_SIGN_INS = "baton.bench.sso.maxConcurrentSignIns";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final IfmapServer federation;
    private final ChildServer process;
    private final Path workDir;
    private final URI authorize;
    private final URI token;
    private final PasswordHashCost cost;

    private BatonSsoGateway(IfmapServer federation, ChildServer process, Path workDir, URI authorize, URI token,
                            PasswordHashCost cost) {
        this.federation = federation;
        this.process = process;
        this.workDir = workDir;
        this.authorize = authorize;
        this.token = token;
        this.cost = cost;
    }

    /**
     * Starts the federation server and the gateway; empty, with the reason told to {@code note}, when there is no
     * built {@code baton.jar} or the gateway does not start.
     */
    static Optional<BatonSsoGateway> start(SsoFixture fixture, Consumer<String> note) throws InterruptedException {
        Optional<Path> jar = BatonProcess.cliJar();
        if (jar.isEmpty()) {
            note.accept(NAME + ": no built baton-cli/target/baton.jar (build baton-cli, or set -Dbaton.cli.jar=FILE)");
            return Optional.empty();
        }
        Path workDir = null;
        IfmapServer federation = null;
        ChildServer process = null;
        try {
            workDir = Files.createTempDirectory("baton-bench-sso-");
            String federationPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            federation = IfmapServer.builder().listen("127.0.0.1", 0).users(BasicAuthUsers.of(Map.of(GATEWAY, federationPassword)))
                    .gateways(Set.of(GATEWAY)).dataDirectory(workDir.resolve("federation")).build().start();
            String hash = Argon2id.hash(fixture.password().toCharArray(), MEMORY_KIB, ITERATIONS);
            int agentPort = ChildServer.freeLoopbackPort();
            int ssoPort = ChildServer.freeLoopbackPort();
            Files.writeString(workDir.resolve("gw.yaml"), yaml(fixture, agentPort, ssoPort, federation.url(), federationPassword, hash));
            List<String> command = command(jar.get(), workDir);
            note.accept(NAME + ": " + String.join(" ", command) + ", its sso listener on 127.0.0.1:" + ssoPort
                    + ", H2 storage, federation server in this JVM, admission control "
                    + (admission().isEmpty() ? "by default" : admission().strip()));
            process = ChildServer.start(NAME, command, Map.of(), workDir, agentPort, START_TIMEOUT);
            URI issuer = URI.create("https://127.0.0.1:" + ssoPort);
            Map<String, URI> endpoints = discover(issuer);
            return Optional.of(new BatonSsoGateway(federation, process, workDir, endpoints.get("authorization_endpoint"),
                    endpoints.get("token_endpoint"), PasswordHashCost.ofPhc(hash)));
        } catch (IOException | RuntimeException e) {
            note.accept(NAME + ": the gateway with the OpenID Connect provider could not be started: " + e.getMessage());
            closeQuietly(process, federation, workDir);
            return Optional.empty();
        }
    }

    /** The gateway's configuration: docs/gateway.md and the {@code sso:} section of issue 17's contract. */
    static String yaml(SsoFixture f, int agentPort, int ssoPort, String federationUrl, String federationPassword, String hash) {
        return admission() + """
                name: %s
                listen: 127.0.0.1:%d
                federation: { url: "%s", user: %s, password: "%s", trust-all: true }
                storage: { type: h2 }
                roles:
                  staff: { max-session-length: 8h, idle-timeout: 30m }
                realms:
                  - name: users
                    auth-server:
                      kind: local
                      accounts:
                        - { username: %s, password-hash: "%s" }
                    role-mapping:
                      - { when: ["username=*"], roles: [staff] }
                sso:
                  listen: 127.0.0.1:%d
                  realms:
                    users: { persistent: false }
                  clients:
                    %s:
                      secret: "%s"
                      redirect-uris: ["%s"]
                      scopes: [openid]
                """.formatted(GATEWAY, agentPort, federationUrl, GATEWAY, federationPassword, f.username(), hash, ssoPort,
                f.clientId(), f.clientSecret(), f.redirectUri());
    }

    /**
     * Admission control is the shipped default (credential checks at once: half the cores) unless the system
     * property {@value #MAX_CONCURRENT_SIGN_INS} sets {@code admission.max-concurrent-sign-ins}; Keycloak hashes on
     * as many threads at once as there are cores.
     */
    private static String admission() {
        Integer concurrent = Integer.getInteger(MAX_CONCURRENT_SIGN_INS);
        return concurrent == null ? "" : "admission: { max-concurrent-sign-ins: " + concurrent + " }\n";
    }

    private static List<String> command(Path jar, Path workDir) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String options = System.getenv("BATON_JAVA_OPTS");
        if (options != null && !options.isBlank()) {
            command.addAll(Arrays.asList(options.strip().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "gateway", "--config", workDir.resolve("gw.yaml").toString(),
                "--data-dir", workDir.resolve("data").toString()));
        return command;
    }

    /** The authorization and token endpoints from the discovery document, retried while the listener starts. */
    private static Map<String, URI> discover(URI issuer) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(dev.baton.agent.AgentTls.trustAll())
                .connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> d = http.send(HttpRequest.newBuilder(issuer.resolve("/.well-known/openid-configuration")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (d.statusCode() == 200) {
                    return Map.of("authorization_endpoint", endpoint(d.body(), "authorization_endpoint"),
                            "token_endpoint", endpoint(d.body(), "token_endpoint"));
                }
                last = d.statusCode() + " " + d.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(200);
        }
        throw new IOException("no discovery document at " + issuer + ": " + last);
    }

    private static URI endpoint(String json, String key) throws IOException {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IOException("the discovery document has no " + key + ": " + json);
        }
        return URI.create(m.group(1).replace("\\/", "/"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProcessHandle process() {
        return ProcessHandle.of(process.pid()).orElseThrow(() -> new IllegalStateException(NAME + " is not running"));
    }

    @Override
    public OidcTarget target(SsoFixture fixture) {
        return new OidcTarget(NAME, authorize, token, fixture.clientId(), fixture.clientSecret(), fixture.redirectUri(),
                fixture.username(), fixture.password());
    }

    @Override
    public PasswordHashCost passwordHashCost() {
        return cost;
    }

    @Override
    public String consoleSummary() {
        return process.consoleSummary();
    }

    @Override
    public void close() {
        closeQuietly(process, federation, workDir);
    }

    private static void closeQuietly(ChildServer process, IfmapServer federation, Path workDir) {
        if (process != null) {
            process.close();
        }
        if (federation != null) {
            federation.stop();
        }
        if (workDir != null) {
            try (var walk = Files.walk(workDir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temp folder costs disk space only.
            }
        }
    }
}
