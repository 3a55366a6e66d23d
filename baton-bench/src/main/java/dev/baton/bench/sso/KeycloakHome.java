package dev.baton.bench.sso;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Where the Keycloak the benchmark runs comes from: {@code org.keycloak:keycloak-quarkus-dist:VERSION:zip} from
 * Maven Central, taken from the local Maven repository (fetched into it with the source tree's Maven Wrapper
 * and {@code dependency:get} when missing), unpacked once into {@code ~/.cache/baton-bench/keycloak-VERSION}
 * (outside the source tree, never committed). The environment variable {@code KEYCLOAK_HOME} names an unpacked
 * distribution to use instead. Stateless apart from the files it writes.
 */
final class KeycloakHome {
    static final String VERSION = "26.7.3";
    static final String ARTIFACT = "org.keycloak:keycloak-quarkus-dist:" + VERSION + ":zip";
    private static final long FETCH_MINUTES = 10;

    private KeycloakHome() {
    }

    /**
     * An unpacked distribution with {@code bin/kc.sh}; empty, with the reason told to {@code note}, when there is
     * none and it can be neither found nor fetched.
     */
    static Optional<Path> locate(Consumer<String> note) throws InterruptedException {
        String named = System.getenv("KEYCLOAK_HOME");
        if (named != null && !named.isBlank()) {
            Path home = Path.of(named);
            if (Files.isRegularFile(home.resolve("bin/kc.sh"))) {
                return Optional.of(home);
            }
            note.accept("keycloak: KEYCLOAK_HOME=" + named + " has no bin/kc.sh");
            return Optional.empty();
        }
        Path home = cacheDir().resolve("keycloak-" + VERSION);
        if (Files.isRegularFile(home.resolve(".unpacked"))) {
            return Optional.of(home);
        }
        try {
            Path zip = zip();
            if (!Files.isRegularFile(zip)) {
                fetch(note);
            }
            if (!Files.isRegularFile(zip)) {
                note.accept("keycloak: " + ARTIFACT + " is not in " + zip.getParent() + " and could not be fetched");
                return Optional.empty();
            }
            note.accept("keycloak: unpacking " + zip + " into " + home);
            unpack(zip, home);
            return Optional.of(home);
        } catch (IOException e) {
            note.accept("keycloak: the distribution could not be prepared: " + e);
            return Optional.empty();
        }
    }

    /** {@code ~/.cache/baton-bench}, or {@code $XDG_CACHE_HOME/baton-bench}. */
    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("baton-bench");
    }

    private static Path zip() {
        String local = System.getProperty("maven.repo.local");
        Path repository = local != null && !local.isBlank() ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return repository.resolve("org/keycloak/keycloak-quarkus-dist/" + VERSION + "/keycloak-quarkus-dist-" + VERSION + ".zip");
    }

    /** {@code mvnw dependency:get} of the source tree this benchmark was built in, into the local repository. */
    private static void fetch(Consumer<String> note) throws IOException, InterruptedException {
        Optional<Path> wrapper = mavenWrapper();
        if (wrapper.isEmpty()) {
            note.accept("keycloak: no Maven Wrapper found beside baton-bench to fetch " + ARTIFACT);
            return;
        }
        List<String> command = List.of(wrapper.get().toString(), "-B", "-q",
                "org.apache.maven.plugins:maven-dependency-plugin:3.11.0:get", "-Dtransitive=false", "-Dartifact=" + ARTIFACT);
        note.accept("keycloak: fetching " + ARTIFACT + " from Maven Central: " + String.join(" ", command));
        Path log = Files.createTempFile("baton-bench-keycloak-fetch", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(wrapper.get().getParent().toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(FETCH_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                note.accept("keycloak: the fetch did not finish within " + FETCH_MINUTES + " minutes");
            } else if (process.exitValue() != 0) {
                String said = Files.readString(log).strip();
                note.accept("keycloak: the fetch failed with status " + process.exitValue() + ": "
                        + (said.length() > 500 ? said.substring(said.length() - 500) : said));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Optional<Path> mavenWrapper() {
        try {
            Path here = Path.of(KeycloakHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = here.getParent(); dir != null; dir = dir.getParent()) {
                if (Files.isExecutable(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("baton-bench"))) {
                    return Optional.of(dir.resolve("mvnw"));
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Unpacks the zip's single top folder into {@code home}, through a temp folder renamed at the end. */
    private static void unpack(Path zip, Path home) throws IOException {
        Files.createDirectories(home.getParent());
        Path staging = Files.createTempDirectory(home.getParent(), "unpacking-");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String name = entry.getName();
                int slash = name.indexOf('/');
                Path target = staging.resolve(slash < 0 ? name : name.substring(slash + 1)).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("zip entry outside the distribution: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    copy(in, target);
                }
            }
        }
        try (var scripts = Files.list(staging.resolve("bin"))) {
            for (Path script : (Iterable<Path>) scripts.filter(p -> p.toString().endsWith(".sh"))::iterator) {
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.writeString(staging.resolve(".unpacked"), ARTIFACT + "\n");
        if (Files.exists(home)) { // a copy whose unpacking was cut short (no .unpacked mark)
            try (var walk = Files.walk(home)) {
                for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
