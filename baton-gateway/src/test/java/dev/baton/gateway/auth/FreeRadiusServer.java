package dev.baton.gateway.auth;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throwaway FreeRADIUS on a free 127.0.0.1 UDP port for one test class, started and stopped (by PID)
 * with the project's {@code scripts/freeradius.sh}. Register it as a static {@code @RegisterExtension}
 * field. Fails the tests when FreeRADIUS is missing, unless {@code -Dbaton.allowSkip=true}.
 */
final class FreeRadiusServer implements BeforeAllCallback, AfterAllCallback {
    static final String SECRET = "baton-radius-secret";

    private final String users;
    private Path dir;
    private int port;

    /** @param users lines for mods-config/files/authorize, e.g. {@code alice Cleartext-Password := "pw"} */
    FreeRadiusServer(String users) {
        this.users = users;
    }

    /** {@code 127.0.0.1:port}, as {@code radius.servers} takes it. */
    String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!ProjectScripts.installed("freeradius")) {
            ProjectScripts.unavailable("freeradius not found; install Debian's freeradius (scripts/prepare-test-env.sh does)");
        }
        dir = Files.createTempDirectory("baton-radius");
        Path usersFile = Files.writeString(dir.resolve("users"), users);
        port = freeUdpPort();
        ProjectScripts.run("freeradius.sh", "start", Integer.toString(port), dir.resolve("server").toString(),
                usersFile.toString(), SECRET);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dir != null) {
            ProjectScripts.run("freeradius.sh", "stop", dir.resolve("server").toString());
            ProjectScripts.delete(dir);
        }
    }

    /** A UDP port nobody listens on right now (also used for "server down" tests). */
    static int freeUdpPort() throws java.net.SocketException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
