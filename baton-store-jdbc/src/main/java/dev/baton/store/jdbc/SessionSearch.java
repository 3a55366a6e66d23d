package dev.baton.store.jdbc;

import dev.baton.store.SessionCodec;
import dev.baton.store.SessionFilter;
import dev.baton.store.SessionPage;
import dev.baton.store.StoredSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The admin API's queries on a sessions table: a page of live sessions by filter, latest expiry first, and
 * their count; and who holds the cleanup lease. Each page starts after a position (expiry, id hash) rather than at an offset, so the
 * (user_name, expiry_time) and (owner_gateway, expiry_time) indexes serve the first and the thousandth page
 * alike. Values are bound, never spliced into the SQL. Thread-safe.
 */
final class SessionSearch {
    private final DataSource pool;
    private final String sessions;
    private final SessionCodec codec;

    SessionSearch(DataSource pool, String sessions, SessionCodec codec) {
        this.pool = pool;
        this.sessions = sessions;
        this.codec = codec;
    }

    SessionPage find(SessionFilter filter, Instant now, Optional<SessionPage.Cursor> after, int limit) {
        Where where = where(filter, now);
        after.ifPresent(c -> {
            where.sql.append(" AND (expiry_time < ? OR (expiry_time = ? AND id_hash < ?))");
            where.values.add(c.expiry().toEpochMilli());
            where.values.add(c.expiry().toEpochMilli());
            where.values.add(c.idHash());
        });
        String sql = "SELECT session_data FROM " + sessions + where.sql
                + " ORDER BY expiry_time DESC, id_hash DESC LIMIT " + (limit + 1);
        List<StoredSession> rows = new ArrayList<>();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            where.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(codec.decode(rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw JdbcSessionStore.failure("list sessions", e);
        }
        return SessionPage.of(rows, Optional.empty(), limit);
    }

    long count(SessionFilter filter, Instant now) {
        Where where = where(filter, now);
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + sessions + where.sql)) {
            where.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw JdbcSessionStore.failure("count sessions", e);
        }
    }

    Optional<String> leaseHolder(String leaseTable, String name, Instant now) {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT holder FROM " + leaseTable + " WHERE name = ? AND expires_at > ?")) {
            ps.setString(1, name);
            ps.setLong(2, now.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw JdbcSessionStore.failure("read the cleanup lease", e);
        }
    }

    /** A WHERE clause and the values of its placeholders, in order. */
    private record Where(StringBuilder sql, List<Object> values) {
        void bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else {
                    ps.setString(i + 1, (String) values.get(i));
                }
            }
        }

        void add(String column, String op, Object value) {
            sql.append(" AND ").append(column).append(' ').append(op).append(" ?");
            values.add(value);
        }
    }

    private static Where where(SessionFilter f, Instant now) {
        Where w = new Where(new StringBuilder(" WHERE expiry_time > ?"), new ArrayList<>(List.of(now.toEpochMilli())));
        f.user().ifPresent(v -> w.add("user_name", "=", v));
        f.realm().ifPresent(v -> w.add("realm", "=", v));
        f.authGroup().ifPresent(v -> w.add("auth_group", "=", v));
        f.owner().ifPresent(v -> w.add("owner_gateway", "=", v));
        f.startedAfter().ifPresent(v -> w.add("start_time", ">", v.toEpochMilli()));
        f.startedBefore().ifPresent(v -> w.add("start_time", "<", v.toEpochMilli()));
        return w;
    }
}
