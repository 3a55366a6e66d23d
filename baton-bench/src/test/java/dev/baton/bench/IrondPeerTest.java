package dev.baton.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Starts a stand-in irond ({@link FakeIrondMain}) as a real child process, the way the benchmark does. */
class IrondPeerTest {
    @TempDir
    Path home;

    private final List<String> problems = new ArrayList<>();

    private IrondHome fakeIrondHome(String extraConfig) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeIrondMain.class.getName());
        try (OutputStream file = Files.newOutputStream(home.resolve("irond.jar"));
             JarOutputStream jar = new JarOutputStream(file, manifest);
             InputStream classBytes = FakeIrondMain.class.getResourceAsStream("FakeIrondMain.class")) {
            jar.putNextEntry(new JarEntry("dev/baton/bench/FakeIrondMain.class"));
            classBytes.transferTo(jar);
        }
        Files.writeString(home.resolve("ifmap.properties"), """
                # irond main configuration file
                irond.comm.basicauth.port=8443
                irond.comm.certauth.port=8444
                irond.xml.validate=true
                """ + extraConfig);
        Files.createDirectories(home.resolve("schema"));
        Files.createDirectories(home.resolve("keystore"));
        Files.writeString(home.resolve("keystore/irond.jks"), "not a real keystore");
        return IrondHome.of(home.toString(), problems::add).orElseThrow();
    }

    @Test
    void startsIrondOnAFreePortBoundToLoopbackOnlyAndStopsIt() throws Exception {
        IrondHome irondHome = fakeIrondHome("");
        Path workDir;
        try (IrondPeer peer = IrondPeer.start(irondHome)) {
            workDir = peer.workDir();
            assertThat(peer.endpoint().url()).matches("https://127\\.0\\.0\\.1:\\d+/");
            Path bound = workDir.resolve("bound.txt");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(bound) && Files.size(bound) > 0);
            assertThat(Files.readString(bound)).isEqualTo("127.0.0.1");
            String config = Files.readString(workDir.resolve("ifmap.properties"));
            String port = peer.endpoint().url().replaceAll(".*:(\\d+)/", "$1");
            assertThat(config).contains("irond.comm.basicauth.port=" + port)
                    .contains("irond.comm.certauth.port=0", "irond.xml.validate=true", "# irond main configuration file");
            assertThat(Files.readString(workDir.resolve("basicauthusers.properties")))
                    .isEqualTo("bench-publisher:bench-publisher-secret\nbench-subscriber:bench-subscriber-secret\n");
            assertThat(workDir.resolve("irond.jar")).doesNotExist();
            assertThat(Files.readString(workDir.resolve("log4j.properties"))).startsWith("log4j.rootLogger=WARN");
        }
        assertThat(workDir).doesNotExist();
        assertThat(ProcessHandle.allProcesses()
                .anyMatch(p -> p.info().commandLine().orElse("").contains(workDir.toString()))).isFalse();
    }

    @Test
    void irondThatExitsWhileStartingFailsWithItsConsoleOutput() throws Exception {
        IrondHome irondHome = fakeIrondHome("fake.exit=3\n");

        assertThatThrownBy(() -> IrondPeer.start(irondHome))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with status 3")
                .hasMessageContaining("fake irond refuses to start");
    }

    @Test
    void unsetOrIncompleteIrondHomeIsReportedWithTheReason() throws Exception {
        assertThat(IrondHome.of(null, problems::add)).isEmpty();
        assertThat(IrondHome.of(home.toString(), problems::add)).isEmpty();

        assertThat(problems).containsExactly("IROND_HOME is not set",
                "IROND_HOME=" + home + " has no irond.jar (expected irond's built bundle)");
    }

    @Test
    void overridingPropertiesReplacesKeysKeepsTheRestAndAppendsMissingKeys() throws Exception {
        Path file = home.resolve("x.properties");
        Files.writeString(file, "# comment\na=1\nb = 2\nc=3\n");

        IrondHome.overrideProperties(file, Map.of("b", "20", "d", "4"));

        assertThat(Files.readAllLines(file)).containsExactly("# comment", "a=1", "b=20", "c=3", "d=4");
    }
}
