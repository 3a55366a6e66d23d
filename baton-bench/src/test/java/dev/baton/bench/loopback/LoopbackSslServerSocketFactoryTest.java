package dev.baton.bench.loopback;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoopbackSslServerSocketFactoryTest {
    private final LoopbackSslServerSocketFactory factory = new LoopbackSslServerSocketFactory();

    LoopbackSslServerSocketFactoryTest() throws Exception {
    }

    @Test
    void socketsAskedForOnAllInterfacesListenOnLoopbackOnly() throws Exception {
        try (ServerSocket byPort = factory.createServerSocket(0);
             ServerSocket byBacklog = factory.createServerSocket(0, 10);
             ServerSocket byWildcard = factory.createServerSocket(0, 10, InetAddress.getByName("0.0.0.0"))) {
            assertThat(byPort.getInetAddress().isLoopbackAddress()).isTrue();
            assertThat(byBacklog.getInetAddress().isLoopbackAddress()).isTrue();
            assertThat(byWildcard.getInetAddress().isLoopbackAddress()).isTrue();
            assertThat(byPort.getLocalPort()).isPositive();
        }
    }

    @Test
    void unboundSocketsAreRefusedBecauseTheirAddressCouldNotBeForced() {
        assertThatThrownBy(factory::createServerSocket).hasMessageContaining("loopback");
    }

    @Test
    void cipherSuitesAreTheJdkDefaults() {
        assertThat(factory.getDefaultCipherSuites()).isNotEmpty();
        assertThat(factory.getSupportedCipherSuites()).contains(factory.getDefaultCipherSuites());
    }
}
