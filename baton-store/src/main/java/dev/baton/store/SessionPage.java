package dev.baton.store;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One page of stored sessions in the order operators see them, latest expiry first (then by id hash,
 * descending), and where the next page starts. Paging by position rather than by offset keeps every page as
 * cheap as the first, however deep an operator pages.
 *
 * @param sessions the page, at most the limit asked for
 * @param next     the position after the page's last session, when more may follow
 */
public record SessionPage(List<StoredSession> sessions, Optional<Cursor> next) {
    /** The order of pages: latest expiry first, then the id hash, descending. */
    public static final Comparator<StoredSession> ORDER = Comparator
            .comparing(StoredSession::expiryTime, Comparator.reverseOrder())
            .thenComparing(s -> s.session().hash().hex(), Comparator.reverseOrder());

    public SessionPage {
        sessions = List.copyOf(sessions);
    }

    /**
     * A position in that order: the next page holds sessions that come after it.
     *
     * @param expiry the expiry of the last session seen
     * @param idHash its id hash, hex
     */
    public record Cursor(Instant expiry, String idHash) {
        public Cursor {
            if (!idHash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("a page cursor's id hash is 64 hex digits");
            }
        }

        /** Whether {@code s} comes after this position. */
        public boolean isBefore(StoredSession s) {
            int byExpiry = s.expiryTime().compareTo(expiry);
            return byExpiry < 0 || byExpiry == 0 && s.session().hash().hex().compareTo(idHash) < 0;
        }

        /** The text form an API hands out: {@code <epoch millis>.<hash>}. */
        public String token() {
            return expiry.toEpochMilli() + "." + idHash;
        }

        /** Parses {@link #token()}; empty for anything else. */
        public static Optional<Cursor> parse(String token) {
            int dot = token == null ? -1 : token.indexOf('.');
            if (dot <= 0 || dot > 19) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Cursor(Instant.ofEpochMilli(Long.parseLong(token.substring(0, dot))),
                        token.substring(dot + 1)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** The page of {@code sorted} (in {@link #ORDER}) after {@code after}, at most {@code limit} long. */
    public static SessionPage of(List<StoredSession> sorted, Optional<Cursor> after, int limit) {
        List<StoredSession> rest = after.map(c -> sorted.stream().filter(c::isBefore).toList()).orElse(sorted);
        List<StoredSession> page = rest.subList(0, Math.min(limit, rest.size()));
        return new SessionPage(page, rest.size() > limit ? Optional.of(cursorAfter(page)) : Optional.empty());
    }

    /** The position after the last session of a non-empty page. */
    public static Cursor cursorAfter(List<StoredSession> page) {
        StoredSession last = page.get(page.size() - 1);
        return new Cursor(last.expiryTime(), last.session().hash().hex());
    }
}
