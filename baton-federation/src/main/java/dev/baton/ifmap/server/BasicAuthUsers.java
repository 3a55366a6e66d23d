package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP basic-auth users of a federation server: name to password. Immutable and thread-safe; the
 * password check takes the same time whatever the password's first wrong character is.
 */
public final class BasicAuthUsers {
    private final Map<String, byte[]> passwords;

    private BasicAuthUsers(Map<String, byte[]> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /** Users from a map of name to password. */
    public static BasicAuthUsers of(Map<String, String> users) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        users.forEach((u, p) -> map.put(validName(u, "user map"), p.getBytes(StandardCharsets.UTF_8)));
        return new BasicAuthUsers(map);
    }

    /**
     * Reads {@code user:password} lines; blank lines and lines starting with {@code #} are skipped.
     *
     * @throws BatonException {@link ResultCode#CONFIGURATION} naming the file and line of a bad entry
     */
    public static BasicAuthUsers read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "cannot read basic-auth users file " + file + ": "
                    + e.getMessage(), e);
        }
        Map<String, byte[]> map = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String where = file + " line " + (i + 1);
            if (colon <= 0 || colon == line.length() - 1) {
                throw new BatonException(ResultCode.CONFIGURATION, where + ": expected user:password");
            }
            String user = validName(line.substring(0, colon), where);
            if (map.put(user, line.substring(colon + 1).getBytes(StandardCharsets.UTF_8)) != null) {
                throw new BatonException(ResultCode.CONFIGURATION, where + ": user " + user + " appears twice");
            }
        }
        if (map.isEmpty()) {
            throw new BatonException(ResultCode.CONFIGURATION, "basic-auth users file " + file + " has no users");
        }
        return new BasicAuthUsers(map);
    }

    /** Whether {@code password} is {@code user}'s. */
    public boolean check(String user, String password) {
        byte[] expected = passwords.get(user);
        byte[] given = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
        return expected != null && MessageDigest.isEqual(expected, given);
    }

    /** The user names. */
    public java.util.Set<String> names() {
        return passwords.keySet();
    }

    private static String validName(String user, String where) {
        if (user == null || user.isBlank() || !user.matches("[\\w.@-]{1,128}")) {
            throw new BatonException(ResultCode.CONFIGURATION, where + ": user name '" + user
                    + "' must be 1-128 letters, digits, '.', '@', '_' or '-'");
        }
        return user;
    }
}
