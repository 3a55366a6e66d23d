package dev.baton.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reading an HTTP body whose length was declared. {@code InputStream.readAllBytes} and the HTTP libraries'
 * helpers copy through a fresh 4-8 KB buffer and a growing one, per request; the servers and clients read a
 * declared length straight into an array of that size instead, so a body is allocated once. Callers keep their own way for bodies of unknown or excessive length.
 */
public final class Bodies {
    private Bodies() {
    }

    /**
     * Reads a body that may not exceed {@code max} bytes: one whose {@code declared} length is within it as by
     * {@link #readDeclared}; one of unknown or larger length up to {@code max + 1} bytes, so that the caller sees
     * it is too long ({@code readNBytes} grows 8 KB chunks and copies them once at the end).
     */
    public static byte[] readAtMost(InputStream in, long declared, int max) throws IOException {
        return declared >= 0 && declared <= max ? readDeclared(in, (int) declared) : in.readNBytes(max + 1);
    }

    /**
     * Reads and drops up to {@code max} more bytes of a body the answer will not use, so that the client, still
     * sending, reads the answer (a 413, a refusal) on a connection left in order instead of finding it reset.
     */
    public static void discard(InputStream in, long max) throws IOException {
        for (long rest = max, skipped; rest > 0 && (skipped = in.skip(rest)) > 0; ) {
            rest -= skipped;
        }
    }

    /**
     * Reads {@code length} declared bytes from {@code in} into an array of exactly that size. A body that ends
     * early is returned as far as it came (whoever parses it then says what is missing).
     */
    public static byte[] readDeclared(InputStream in, int length) throws IOException {
        byte[] body = new byte[length];
        int n = in.readNBytes(body, 0, length);
        return n < length ? Arrays.copyOf(body, n) : body;
    }
}
