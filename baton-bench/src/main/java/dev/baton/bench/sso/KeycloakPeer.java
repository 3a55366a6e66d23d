package dev.baton.bench.sso;

import dev.baton.bench.ChildServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keycloak as the benchmark's peer: a throwaway {@code kc.sh start-dev} on {@code 127.0.0.1}, plain HTTP, its
 * dev-file H2 database (deleted before the start and after the stop), with the theme caches on as in production
 * ({@code start-dev} turns them off so that theme edits show at once; a production server renders its login page
 * from cached templates). The benchmark's realm, user and confidential client (PKCE S256 required) are created
 * through the admin REST API with a random bootstrap admin password; the user's stored password hash is read
 * back from the same API so that the benchmark states the cost Keycloak actually used. The JDK is the
 * benchmark's own unless {@code KEYCLOAK_JAVA_HOME} names another. Closing stops the process (TERM, then KILL)
 * and deletes its data. Not thread safe.
 */
final class KeycloakPeer implements ProviderUnderTest {
    static final String NAME = "keycloak";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final String REALM = "bench";

    private final ChildServer process;
    private final Path home;
    private final Path workDir;
    private final URI base;
    private final PasswordHashCost cost;

    private KeycloakPeer(ChildServer process, Path home, Path workDir, URI base, PasswordHashCost cost) {
        this.process = process;
        this.home = home;
        this.workDir = workDir;
        this.base = base;
        this.cost = cost;
    }

    /**
     * Starts Keycloak and sets up the benchmark's realm; empty, with the reason told to {@code note}, when
     * Keycloak is not available or does not start.
     */
    static Optional<KeycloakPeer> start(SsoFixture fixture, Consumer<String> note) throws InterruptedException {
        Optional<Path> home = KeycloakHome.locate(note);
        if (home.isEmpty()) {
            return Optional.empty();
        }
        Path workDir = null;
        ChildServer process = null;
        try {
            workDir = Files.createTempDirectory("baton-bench-keycloak-");
            deleteData(home.get());
            int port = ChildServer.freeLoopbackPort();
            String adminPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            List<String> command = List.of(home.get().resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host", "127.0.0.1", "--http-port", Integer.toString(port),
                    "--spi-theme--cache-themes=true", "--spi-theme--cache-templates=true");
            note.accept(NAME + ": " + String.join(" ", command) + " (Keycloak " + KeycloakHome.VERSION + ", JAVA_HOME "
                    + javaHome() + ")");
            long started = System.nanoTime();
            process = ChildServer.start(NAME, command, Map.of("JAVA_HOME", javaHome(), "KC_BOOTSTRAP_ADMIN_USERNAME", "admin",
                    "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword), workDir, port, START_TIMEOUT);
            URI base = URI.create("http://127.0.0.1:" + port + "/");
            PasswordHashCost cost = setUp(base, adminPassword, fixture);
            note.accept(NAME + ": started and set up in " + (System.nanoTime() - started) / 1_000_000_000 + " s");
            return Optional.of(new KeycloakPeer(process, home.get(), workDir, base, cost));
        } catch (IOException | RuntimeException e) {
            note.accept(NAME + ": could not be started: " + e.getMessage());
            if (process != null) {
                process.close();
            }
            cleanUp(home.get(), workDir);
            return Optional.empty();
        }
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
        URI oidc = base.resolve("realms/" + REALM + "/protocol/openid-connect/");
        return new OidcTarget(NAME, oidc.resolve("auth"), oidc.resolve("token"), fixture.clientId(), fixture.clientSecret(),
                fixture.redirectUri(), fixture.username(), fixture.password());
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
        process.close();
        cleanUp(home, workDir);
    }

    private static PasswordHashCost setUp(URI base, String adminPassword, SsoFixture fixture)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        String token = adminToken(http, base, adminPassword);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("admin/realms"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(realmJson(fixture))).build(), HttpResponse.BodyHandlers.ofString());
        expect(created, 201, "creating the realm");
        HttpResponse<String> users = http.send(HttpRequest.newBuilder(base.resolve("admin/realms/" + REALM + "/users?exact=true&username="
                + fixture.username())).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        expect(users, 200, "finding the user");
        String userId = group(Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\""), users.body(), "the user's id");
        HttpResponse<String> credentials = http.send(HttpRequest.newBuilder(base.resolve("admin/realms/" + REALM + "/users/" + userId
                + "/credentials")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        expect(credentials, 200, "reading the user's credential");
        return PasswordHashCost.ofKeycloakCredential(credentials.body().replace("\\\"", "\""));
    }

    /** The master realm's admin token; retried while Keycloak finishes starting (the port opens first). */
    private static String adminToken(HttpClient http, URI base, String adminPassword) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=admin-cli&username=admin&password=" + adminPassword;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> answer;
        do {
            answer = http.send(HttpRequest.newBuilder(base.resolve("realms/master/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                return group(Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\""), answer.body(), "the admin token");
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new IOException("no admin token: " + answer.statusCode() + " " + answer.body());
    }

    /**
     * The realm: the user with the profile Keycloak requires (else the first sign-in asks for it), the confidential
     * client with client_secret_basic and PKCE S256 required. Password policy and brute-force detection are
     * Keycloak's defaults (argon2, no lock-out).
     */
    static String realmJson(SsoFixture f) {
        return """
                {"realm":"%s","enabled":true,"sslRequired":"none",
                 "users":[{"username":"%s","enabled":true,"email":"%s@example.test","emailVerified":true,
                   "firstName":"Bench","lastName":"User","requiredActions":[],
                   "credentials":[{"type":"password","value":"%s","temporary":false}]}],
                 "clients":[{"clientId":"%s","enabled":true,"protocol":"openid-connect","publicClient":false,
                   "clientAuthenticatorType":"client-secret","secret":"%s","redirectUris":["%s"],
                   "standardFlowEnabled":true,"directAccessGrantsEnabled":false,
                   "attributes":{"pkce.code.challenge.method":"S256"}}]}
                """.formatted(REALM, f.username(), f.username(), f.password(), f.clientId(), f.clientSecret(), f.redirectUri());
    }

    private static void expect(HttpResponse<String> answer, int status, String what) throws IOException {
        if (answer.statusCode() != status) {
            throw new IOException(what + " answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    private static String group(Pattern pattern, String text, String what) throws IOException {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IOException("no " + what + " in " + text);
        }
        return m.group(1);
    }

    private static String javaHome() {
        String named = System.getenv("KEYCLOAK_JAVA_HOME");
        return named != null && !named.isBlank() ? named : System.getProperty("java.home");
    }

    /** The dev-file H2 database (and anything else a previous start left) lives in {@code home/data}. */
    private static void deleteData(Path home) throws IOException {
        Path data = home.resolve("data");
        if (Files.exists(data)) {
            try (var walk = Files.walk(data)) {
                for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void cleanUp(Path home, Path workDir) {
        try {
            deleteData(home);
            if (workDir != null) {
                try (var walk = Files.walk(workDir)) {
                    for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            // A leftover temp folder costs disk space only; the next start deletes the data folder again.
        }
    }
}
