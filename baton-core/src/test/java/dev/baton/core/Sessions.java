package dev.baton.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test fixtures. */
final class Sessions {
    private Sessions() {
    }

    static Session of(String user, AuthServerKind kind, String group, Instant start) {
        return Session.start(SessionId.generate().hash(), user, "users", group == null ? null : new AuthGroup(group), kind,
                Set.of("staff"), Map.of("department", List.of("engineering")), start, "gw-a");
    }
}
