package dev.baton.ifmap;

import dev.baton.ifmap.client.Publish;
import dev.baton.ifmap.model.IfmapException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends claims (and first publishes, which claim generation 1) in groups ({@link GroupSender}): one publish request
 * per group. IF-MAP applies a publish atomically, so a group in which one claim loses its compare-and-set is
 * applied not at all; its claims are then sent one by one for their own outcomes.
 */
final class ClaimSender extends GroupSender<Publish> {
    private final FederationConnection connection;
    private final LongAdder requests = new LongAdder();

    ClaimSender(FederationConnection connection) {
        super(64);
        this.connection = connection;
    }

    /**
     * Sends {@code claim}: true if applied, false if it lost its compare-and-set.
     *
     * @throws RuntimeException any other failure; the claim may still have been applied
     */
    boolean claim(Publish claim) {
        return (Boolean) send(claim);
    }

    /** Publish requests that carried claims since the client started. */
    long requests() {
        return requests.sum();
    }

    @Override
    protected void sendGroup(List<Pending<Publish>> group) {
        if (group.size() == 1) {
            complete(group.get(0), attempt(group.get(0).request));
            return;
        }
        Publish all = new Publish();
        group.forEach(p -> all.append(p.request));
        Object outcome = attempt(all);
        if (Boolean.FALSE.equals(outcome)) {
            for (Pending<Publish> p : group) { // the server applied none of them: each on its own
                complete(p, attempt(p.request));
            }
        } else {
            group.forEach(p -> complete(p, outcome));
        }
    }

    private Object attempt(Publish p) {
        requests.increment();
        try {
            connection.run(c -> c.publish(p));
            return Boolean.TRUE;
        } catch (IfmapException e) {
            return e.isOwnershipConflict() ? Boolean.FALSE : e;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
