package dev.baton.gateway;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.SessionIdHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a gateway reads the federation's revocation mark where it does not look sessions up anyway. */
final class Revocations {
    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);

    private Revocations() {
    }

    /**
     * Whether the federation marks {@code hash} revoked. A gateway asks when it first uses a session it loaded from
     * storage (after a restart its subscriptions did not see marks made while it was down). With the federation
     * unreachable it answers false, so sessions keep being served from storage as before.
     */
    static boolean marked(Federation federation, SessionIdHash hash) {
        try {
            return federation.lookup(hash).map(Federation.Published::revoked).orElse(false);
        } catch (BatonException e) {
            if (e.code() != ResultCode.UNAVAILABLE) {
                throw e;
            }
            LOG.warn("cannot ask the federation whether session {} was revoked ({}); serving it from storage",
                    hash.abbreviated(), e.getMessage());
            return false;
        }
    }
}
