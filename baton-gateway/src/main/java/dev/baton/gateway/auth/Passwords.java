package dev.baton.gateway.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Password handling shared by the authenticators: no intermediate String, buffers wiped after use. */
final class Passwords {
    private Passwords() {
    }

    /** The UTF-8 bytes of a password; the caller wipes them when done. */
    static byte[] utf8(char[] password) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = Arrays.copyOf(buffer.array(), buffer.limit());
        Arrays.fill(buffer.array(), (byte) 0);
        return bytes;
    }
}
