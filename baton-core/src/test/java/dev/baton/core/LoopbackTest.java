package dev.baton.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Loopback is decided from the text of the URL alone; anything doubtful is not loopback. */
class LoopbackTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1:8443", "https://127.255.3.4", "https://localhost:8443", "https://LocalHost/",
        "https://[::1]:8443", "https://[0:0:0:0:0:0:0:1]:8443", "https://[0000::0001]", "https://[::0:1]"})
    void loopbackUrls(String url) {
        assertThat(Loopback.isLoopbackUrl(url)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://fed.example.com:8443", "https://10.0.0.1", "https://128.0.0.1", "https://0.0.0.0",
        "https://126.255.255.255", "https://localhost.example.com", "https://127.0.0.1.nip.io", "https://127.1",
        "https://127.0.0.01", "https://127.0.0.256", "https://[::]", "https://[::2]", "https://[1::1]",
        "https://[::ffff:127.0.0.1]", "https://[::1::]", "https://[fe80::1]", "not a url", "https:///path", "",
        "https://lb:8443"})
    void otherUrlsAreNotLoopback(String url) {
        assertThat(Loopback.isLoopbackUrl(url)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "::1", "[::1]"})
    void bareHosts(String host) {
        assertThat(Loopback.isLoopbackHost(host)).isTrue();
    }
}
