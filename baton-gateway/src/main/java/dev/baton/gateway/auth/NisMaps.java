package dev.baton.gateway.auth;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

import java.util.List;
import java.util.Optional;

/**
 * The NIS maps a {@link NisAuthenticator} reads: {@code passwd.byname} and, optionally, {@code group.byname}.
 * Production set-ups feed it from the maps NIS serves (see {@link NisMapFiles}); tests feed it directly.
 * Implementations must be thread-safe.
 */
public interface NisMaps {

    /**
     * Looks a user up in {@code passwd.byname}.
     *
     * @throws BatonException with {@link ResultCode#UNAVAILABLE} if the maps cannot be read
     */
    Optional<PasswdEntry> passwd(String username);

    /**
     * The names of the groups the user is in: the group whose gid is the user's primary gid, and every
     * group listing the user as a member. Empty when no group map is configured.
     */
    List<String> groupsOf(PasswdEntry user);

    /**
     * One line of the passwd map, {@code name:hash:uid:gid:gecos:home:shell}, as {@code ypcat passwd} prints it.
     *
     * @param name  the login name
     * @param hash  the crypt(3) hash, or a marker such as {@code *}, {@code !} or {@code x} for accounts that
     *              cannot sign in with a password (or whose hash lives in another map)
     * @param uid   numeric user id
     * @param gid   numeric primary group id
     * @param gecos the comment field (usually the full name)
     * @param home  the home folder
     * @param shell the login shell
     */
    record PasswdEntry(String name, String hash, long uid, long gid, String gecos, String home, String shell) {

        /**
         * Parses one map line.
         *
         * @throws BatonException with {@link ResultCode#INVALID_REQUEST} naming what is wrong
         */
        public static PasswdEntry parse(String line) {
            String[] f = line.split(":", -1);
            if (f.length != 7 || f[0].isEmpty()) {
                throw new BatonException(ResultCode.INVALID_REQUEST, "passwd map line must have 7 ':'-separated fields with a name, got "
                        + f.length + " fields");
            }
            try {
                return new PasswdEntry(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), f[4], f[5], f[6]);
            } catch (NumberFormatException e) {
                throw new BatonException(ResultCode.INVALID_REQUEST, "passwd map entry " + f[0] + ": uid and gid must be numbers");
            }
        }

        /** Never prints the hash. */
        @Override
        public String toString() {
            return "PasswdEntry[" + name + ", uid=" + uid + ", gid=" + gid + "]";
        }
    }
}
