package dev.baton.core;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a URL names this machine's loopback interface, for options that give up TLS server authentication
 * ({@code trust-all}, {@code --insecure}): on loopback no one else is on the path, anywhere else anyone on
 * it could pose as the server.
 *
 * <p>Decided from the text alone, never by a name look-up: a DNS answer can be slow, can hang, and can be
 * made by whoever controls the resolver, and a name that resolves to 127.0.0.1 today may not tomorrow. So
 * only {@code localhost} (which resolvers answer from {@code /etc/hosts}, RFC 6761 6.3) and IP literals count:
 * IPv4 in dotted-quad form in 127.0.0.0/8, and IPv6 {@code ::1} in any spelling. Other spellings the JDK
 * may accept ({@code 127.1}, octets with leading zeros, IPv4-mapped IPv6, zone ids) are not loopback here:
 * refusing them costs only a rewrite of the address.
 */
public final class Loopback {
    private static final Pattern DOTTED_QUAD = Pattern.compile("(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\."
            + "(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private Loopback() {
    }

    /** The host of {@code url} as written (IPv6 without its brackets), or {@code null} if it has none. */
    public static String hostOf(String url) {
        try {
            String host = url == null ? null : URI.create(url).getHost();
            return host != null && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether {@code url}'s host is loopback (see the class comment); {@code false} for a URL without a host. */
    public static boolean isLoopbackUrl(String url) {
        return isLoopbackHost(hostOf(url));
    }

    /** Whether {@code host} (a name, an IPv4 literal or an IPv6 literal with or without brackets) is loopback. */
    public static boolean isLoopbackHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        Matcher quad = DOTTED_QUAD.matcher(h);
        if (quad.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(quad.group(i)) > 255) {
                    return false;
                }
            }
            return quad.group(1).equals("127");
        }
        return h.indexOf(':') >= 0 && isIpv6Loopback(h);
    }

    /** {@code ::1} in full, compressed or zero-padded form. */
    private static boolean isIpv6Loopback(String h) {
        int gap = h.indexOf("::");
        if (gap >= 0 && gap != h.lastIndexOf("::")) {
            return false;
        }
        int[] head = groups(gap < 0 ? h : h.substring(0, gap));
        int[] tail = gap < 0 ? new int[0] : groups(h.substring(gap + 2));
        if (head == null || tail == null || (gap < 0 ? head.length != 8 : head.length + tail.length > 7)) {
            return false;
        }
        int[] words = new int[8];
        System.arraycopy(head, 0, words, 0, head.length);
        System.arraycopy(tail, 0, words, 8 - tail.length, tail.length);
        for (int i = 0; i < 7; i++) {
            if (words[i] != 0) {
                return false;
            }
        }
        return words[7] == 1;
    }

    /** The 16-bit groups of a colon-separated run, or {@code null} if one is not 1 to 4 hex digits. */
    private static int[] groups(String run) {
        if (run.isEmpty()) {
            return new int[0];
        }
        String[] parts = run.split(":", -1);
        int[] words = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!HEX_GROUP.matcher(parts[i]).matches()) {
                return null;
            }
            words[i] = Integer.parseInt(parts[i], 16);
        }
        return words;
    }
}
