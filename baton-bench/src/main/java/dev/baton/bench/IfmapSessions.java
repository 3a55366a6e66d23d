package dev.baton.bench;

import de.hshannover.f4.trust.ifmapj.channel.IfmapChannel;
import de.hshannover.f4.trust.ifmapj.channel.SSRC;

/** Tear-down helpers shared by the IF-MAP benchmark's clients. */
final class IfmapSessions {
    private IfmapSessions() {
    }

    /**
     * Ends {@code ssrc}'s IF-MAP session and closes its connection. Failures are reported on standard
     * error and otherwise ignored: the server is stopped right after, and tear-down must not hide the
     * figures already measured.
     */
    static void end(SSRC ssrc) {
        try {
            ssrc.endSession();
        } catch (Exception e) {
            System.err.println("# endSession failed: " + e);
        }
        closeQuietly(ssrc);
    }

    /** Closes a channel's TCP connection, ignoring failures (see {@link #end}). */
    static void closeQuietly(IfmapChannel channel) {
        try {
            channel.closeTcpConnection();
        } catch (Exception e) {
            System.err.println("# closing an IF-MAP connection failed: " + e);
        }
    }
}
