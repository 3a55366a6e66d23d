package dev.baton.bench;

import java.io.Reader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import javax.net.ssl.SSLServerSocketFactory;

/**
 * Stands in for irond's main in tests: reads {@code ifmap.properties} from its working directory as irond
 * does, opens its port the way irond does (the default TLS server socket factory, no bind address) and
 * writes the address it got to {@code bound.txt}. With {@code fake.exit=N} it exits with status N instead.
 */
public final class FakeIrondMain {
    private FakeIrondMain() {
    }

    public static void main(String[] args) throws Exception {
        Properties config = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("ifmap.properties"))) {
            config.load(reader);
        }
        if (config.getProperty("fake.exit") != null) {
            System.out.println("fake irond refuses to start");
            System.exit(Integer.parseInt(config.getProperty("fake.exit")));
        }
        int port = Integer.parseInt(config.getProperty("irond.comm.basicauth.port"));
        try (ServerSocket socket = SSLServerSocketFactory.getDefault().createServerSocket(port)) {
            Files.writeString(Path.of("bound.txt"), socket.getInetAddress().getHostAddress());
            while (true) {
                socket.accept().close();
            }
        }
    }
}
