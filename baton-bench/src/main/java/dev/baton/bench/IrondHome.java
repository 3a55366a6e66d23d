package dev.baton.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A built irond (the reference IF-MAP 2.x server) as the folder named by {@code IROND_HOME}: its
 * {@code irond.jar} (a runnable jar with its dependencies inside and {@code Main-Class} set), its
 * {@code ifmap.properties}, and the files that configuration names ({@code schema/}, {@code keystore/},
 * {@code authorization.properties}, {@code roles.properties}, {@code policy.xml}, ...). That is the layout
 * of irond's release bundle.
 *
 * <p>irond reads its configuration relative to its working directory and writes to it
 * ({@code publisher.properties}), so each run gets a private copy in a temp folder with the port, the
 * users and the log level the benchmark needs; {@code IROND_HOME} itself is never written.
 */
final class IrondHome {
    static final String JAR = "irond.jar";
    static final String MAIN_CONFIG = "ifmap.properties";
    private static final List<String> REQUIRED = List.of(JAR, MAIN_CONFIG, "schema", "keystore");

    private final Path home;
    private final String mainClass;

    private IrondHome(Path home, String mainClass) {
        this.home = home;
        this.mainClass = mainClass;
    }

    /**
     * Checks the folder named by the {@code IROND_HOME} value {@code value}.
     *
     * @param problem told why the folder cannot be used, when it cannot
     * @return the usable irond, or empty
     */
    static Optional<IrondHome> of(String value, java.util.function.Consumer<String> problem) {
        if (value == null || value.isBlank()) {
            problem.accept("IROND_HOME is not set");
            return Optional.empty();
        }
        Path home = Path.of(value).toAbsolutePath().normalize();
        for (String required : REQUIRED) {
            if (!Files.exists(home.resolve(required))) {
                problem.accept("IROND_HOME=" + home + " has no " + required + " (expected irond's built bundle)");
                return Optional.empty();
            }
        }
        try (JarFile jar = new JarFile(home.resolve(JAR).toFile())) {
            String main = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Main-Class");
            if (main == null) {
                problem.accept(home.resolve(JAR) + " names no Main-Class in its manifest");
                return Optional.empty();
            }
            return Optional.of(new IrondHome(home, main));
        } catch (IOException e) {
            problem.accept(home.resolve(JAR) + " is not a readable jar: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The runnable jar. */
    Path jar() {
        return home.resolve(JAR);
    }

    /** The class the jar's manifest runs. */
    String mainClass() {
        return mainClass;
    }

    /**
     * Copies the configuration into {@code workDir} and adjusts it: basic-auth port {@code port},
     * certificate port off, the two benchmark users, raw request logging off, and a log4j configuration
     * at WARN (irond's template logs every request at TRACE to the console, which would measure the
     * console rather than the server).
     */
    void prepare(Path workDir, int port, FederationUnderTest.Credentials... users) throws IOException {
        copyConfiguration(workDir);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("irond.comm.basicauth.port", Integer.toString(port));
        overrides.put("irond.comm.certauth.port", "0");
        overrides.put("irond.auth.basic.users.file", "basicauthusers.properties");
        overrides.put("irond.comm.rawlog", "false");
        overrideProperties(workDir.resolve(MAIN_CONFIG), overrides);
        StringBuilder userLines = new StringBuilder();
        for (FederationUnderTest.Credentials user : users) {
            userLines.append(user.user()).append(':').append(user.password()).append('\n');
        }
        Files.writeString(workDir.resolve("basicauthusers.properties"), userLines);
        Files.writeString(workDir.resolve("log4j.properties"), """
                log4j.rootLogger=WARN, CONSOLE
                log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender
                log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout
                log4j.appender.CONSOLE.layout.ConversionPattern=%d [%t] %-5p %c{1} - %m%n
                """);
    }

    private void copyConfiguration(Path workDir) throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path relative = home.relativize(source);
                String name = relative.toString();
                if (name.equals(JAR) || name.endsWith(".log")) {
                    continue;
                }
                Path target = workDir.resolve(relative);
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    /** Replaces {@code key=...} lines (or appends them) and keeps everything else of the file as it was. */
    static void overrideProperties(Path file, Map<String, String> overrides) throws IOException {
        Map<String, String> pending = new LinkedHashMap<>(overrides);
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String key = line.contains("=") ? line.substring(0, line.indexOf('=')).trim() : "";
            String value = pending.remove(key);
            lines.add(value == null ? line : key + "=" + value);
        }
        pending.forEach((key, value) -> lines.add(key + "=" + value));
        Files.write(file, lines);
    }

    /** Deletes {@code dir} and everything below it, best effort. */
    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("# could not delete " + dir + ": " + e.getMessage());
        }
    }
}
