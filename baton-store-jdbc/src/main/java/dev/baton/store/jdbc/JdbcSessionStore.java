package dev.baton.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.core.Session;
import dev.baton.core.SessionIdHash;
import dev.baton.store.AttributeCipher;
import dev.baton.store.CleanupLease;
import dev.baton.store.ExpiredBatch;
import dev.baton.store.SessionCodec;
import dev.baton.store.SessionFilter;
import dev.baton.store.SessionPage;
import dev.baton.store.SessionStore;
import dev.baton.store.StoredSession;
import dev.baton.store.TimestampColumn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link SessionStore} and {@link CleanupLease} in an SQL database: H2 (embedded, the default), PostgreSQL
 * or MariaDB, through a HikariCP pool, with the schema created and upgraded by Flyway ({@link #open}).
 *
 * <p>One row per session in {@code <prefix>sessions}: the id hash (primary key), the columns cleanup and
 * look-ups filter on, and the whole session as JSON ({@link SessionCodec}). Times are UTC milliseconds
 * since the epoch. The cleanup lease is one row of {@code <prefix>lease}, taken by a conditional update.
 *
 * <p>Thread-safe. Every SQL failure surfaces as {@link BatonException}: {@link ResultCode#UNAVAILABLE} when
 * the database cannot be reached, {@link ResultCode#INTERNAL} otherwise.
 */
public final class JdbcSessionStore implements SessionStore, CleanupLease {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionStore.class);
    private static final String LEASE = "session-cleanup";

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final SessionCodec codec;
    private final String sessions;
    private final String lease;
    private final String upsert;
    private final SessionSearch search;

    private JdbcSessionStore(HikariDataSource pool, Dialect dialect, String prefix, SessionCodec codec) {
        this.pool = pool;
        this.dialect = dialect;
        this.codec = codec;
        this.sessions = prefix + "sessions";
        this.lease = prefix + "lease";
        this.upsert = dialect.upsert(sessions);
        this.search = new SessionSearch(pool, sessions, codec);
    }

    /**
     * Opens a pool to the configured database, brings its schema up to date, and returns the store, which
     * owns the pool.
     *
     * @throws BatonException {@link ResultCode#UNAVAILABLE} if the database cannot be reached or migrated within a
     *                        minute, or, at once, if it is an H2 file another process holds ({@link #heldByAnotherProcess})
     */
    public static JdbcSessionStore open(JdbcStoreConfig config) {
        HikariDataSource pool = StoreStartup.open(config);
        SessionCodec codec = config.encryptionKey().isEmpty() ? SessionCodec.plain()
                : SessionCodec.encrypting(AttributeCipher.fromBase64Key(config.encryptionKey()));
        return new JdbcSessionStore(pool, config.dialect(), config.tablePrefix(), codec);
    }

    /** Whether {@code e} (from {@link #open}) says another process holds the H2 database file, e.g. a running gateway. */
    public static boolean heldByAnotherProcess(Throwable e) {
        return StoreStartup.h2InUse(e);
    }

    @Override
    public Optional<StoredSession> load(SessionIdHash hash) {
        return query("load", "SELECT session_data FROM " + sessions + " WHERE id_hash = ?", 1, ps -> ps.setString(1, hash.hex()))
                .stream().findFirst();
    }

    @Override
    public void store(StoredSession session) {
        writeAll(List.of(session), List.of());
    }

    @Override
    public boolean delete(SessionIdHash hash) {
        return update("delete", deleteSql(null), ps -> bindDelete(ps, hash, null)) > 0;
    }

    @Override
    public boolean deleteOwned(SessionIdHash hash, String owner) {
        return update("delete", deleteSql(owner), ps -> bindDelete(ps, hash, owner)) > 0;
    }

    @Override
    public void writeAll(List<StoredSession> stores, List<SessionIdHash> deletes) {
        writeAll(stores, deletes, null);
    }

    /**
     * One transaction; deletes are limited to rows {@code owner} owns unless it is {@code null}.
     *
     * <p>Rows are written in the order of their id hash, whatever their kind, so that the row locks of two
     * such transactions (two gateways sharing the table, one taking a session in while the other drops it)
     * are always taken in the same order and cannot deadlock, as writing all upserts and then all deletes
     * could. Runs of one kind go as one JDBC batch.
     */
    @Override
    public void writeAll(List<StoredSession> stores, List<SessionIdHash> deletes, String owner) {
        List<Op> ops = new ArrayList<>(stores.size() + deletes.size());
        stores.forEach(s -> ops.add(new Op(s.session().hash(), s)));
        deletes.forEach(h -> ops.add(new Op(h, null)));
        if (ops.size() == 1) {
            // One statement is atomic on its own: in auto-commit it is one round trip, where BEGIN, the
            // statement and COMMIT take two, and most groups under load are single writes.
            writeOne(ops.get(0), owner);
        } else if (!ops.isEmpty()) {
            ops.sort(java.util.Comparator.comparing(op -> op.hash().hex()));
            writeInOneTransaction(ops, owner);
        }
    }

    /** One write: a store when {@code store} is set, else a delete. */
    private record Op(SessionIdHash hash, StoredSession store) {
    }

    private void writeOne(Op op, String owner) {
        if (op.store() != null) {
            update("write", upsert, ps -> bind(ps, op.store()));
        } else {
            update("write", deleteSql(owner), ps -> bindDelete(ps, op.hash(), owner));
        }
    }

    private void writeInOneTransaction(List<Op> ops, String owner) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false); // HikariCP restores auto-commit when the connection goes back to the pool
            // Each statement is prepared once per transaction, however many runs alternate between them.
            try (PreparedStatement ups = c.prepareStatement(upsert);
                 PreparedStatement del = c.prepareStatement(deleteSql(owner))) {
                for (int from = 0; from < ops.size(); ) {
                    boolean isUpsert = ops.get(from).store() != null;
                    int to = from;
                    while (to < ops.size() && (ops.get(to).store() != null) == isUpsert) {
                        to++;
                    }
                    List<Op> run = ops.subList(from, to);
                    if (isUpsert) {
                        upsertAll(ups, run.stream().map(Op::store).toList());
                    } else {
                        deleteAll(del, run.stream().map(Op::hash).toList(), owner);
                    }
                    from = to;
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    /** A failed rollback (the connection is gone) must not hide why the write failed. */
    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void upsertAll(PreparedStatement ps, List<StoredSession> stores) throws SQLException {
        for (StoredSession s : stores) {
            bind(ps, s);
            ps.addBatch();
        }
        ps.executeBatch();
    }

    private static void deleteAll(PreparedStatement ps, List<SessionIdHash> deletes, String owner) throws SQLException {
        for (SessionIdHash h : deletes) {
            bindDelete(ps, h, owner);
            ps.addBatch();
        }
        ps.executeBatch();
    }

    /** Deletes one row by id hash; only if {@code owner} owns it, unless that is {@code null}. */
    private String deleteSql(String owner) {
        return "DELETE FROM " + sessions + " WHERE id_hash = ?" + (owner == null ? "" : " AND owner_gateway = ?");
    }

    private static void bindDelete(PreparedStatement ps, SessionIdHash hash, String owner) throws SQLException {
        ps.setString(1, hash.hex());
        if (owner != null) {
            ps.setString(2, owner);
        }
    }

    private void bind(PreparedStatement ps, StoredSession stored) throws SQLException {
        Session s = stored.session();
        ps.setString(1, s.hash().hex());
        ps.setString(2, s.user());
        ps.setString(3, s.realm());
        if (s.authGroup() == null) {
            ps.setNull(4, Types.VARCHAR);
        } else {
            ps.setString(4, s.authGroup().name());
        }
        ps.setString(5, s.owner());
        ps.setLong(6, s.startTime().toEpochMilli());
        ps.setLong(7, s.lastActivity().toEpochMilli());
        ps.setLong(8, stored.expiryTime().toEpochMilli());
        ps.setString(9, codec.encode(stored));
    }

    @Override
    public List<StoredSession> loadOwnedBy(String gateway, Instant now, int limit) {
        return query("load by gateway", "SELECT session_data FROM " + sessions
                + " WHERE owner_gateway = ? AND expiry_time > ? ORDER BY expiry_time DESC", limit, ps -> {
                    ps.setString(1, gateway);
                    ps.setLong(2, now.toEpochMilli());
                });
    }

    @Override
    public List<StoredSession> loadByUser(String user, Instant now, int limit) {
        return query("load by user", "SELECT session_data FROM " + sessions
                + " WHERE user_name = ? AND expiry_time > ? ORDER BY expiry_time DESC", limit, ps -> {
                    ps.setString(1, user);
                    ps.setLong(2, now.toEpochMilli());
                });
    }

    @Override
    public SessionPage find(SessionFilter filter, Instant now, Optional<SessionPage.Cursor> after, int limit) {
        return search.find(filter, now, after, limit);
    }

    @Override
    public long count(SessionFilter filter, Instant now) {
        return search.count(filter, now);
    }

    @Override
    public ExpiredBatch deleteExpired(TimestampColumn column, Instant from, Instant cutoff, int batchSize) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(dialect.deleteExpired(sessions, column))) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, cutoff.toEpochMilli());
            ps.setInt(3, batchSize);
            int deleted = 0;
            long newest = from.toEpochMilli();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deleted++;
                    newest = Math.max(newest, rs.getLong(1));
                }
            }
            return new ExpiredBatch(deleted, Instant.ofEpochMilli(newest));
        } catch (SQLException e) {
            throw failure("cleanup", e);
        }
    }

    @Override
    public long countExpired(TimestampColumn column, Instant cutoff) {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + sessions + " WHERE " + column.column() + " < ?")) {
            ps.setLong(1, cutoff.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("count", e);
        }
    }

    @Override
    public boolean tryAcquire(String holder, Instant now, Duration ttl) {
        return update("take lease", "UPDATE " + lease + " SET holder = ?, expires_at = ? WHERE name = ?"
                + " AND (holder IS NULL OR holder = ? OR expires_at <= ?)", ps -> {
                    ps.setString(1, holder);
                    ps.setLong(2, now.plus(ttl).toEpochMilli());
                    ps.setString(3, LEASE);
                    ps.setString(4, holder);
                    ps.setLong(5, now.toEpochMilli());
                }) == 1;
    }

    @Override
    public void release(String holder) {
        update("release lease", "UPDATE " + lease + " SET holder = NULL, expires_at = 0 WHERE name = ? AND holder = ?", ps -> {
            ps.setString(1, LEASE);
            ps.setString(2, holder);
        });
    }

    @Override
    public Optional<String> holder(Instant now) {
        return search.leaseHolder(lease, LEASE, now);
    }

    /** Closes the pool. */
    @Override
    public void close() {
        pool.close();
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<StoredSession> query(String what, String sql, int limit, Binder binder) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.setMaxRows(limit);
            List<StoredSession> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(codec.decode(rs.getString(1)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private int update(String what, String sql, Binder binder) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * UNAVAILABLE when the database cannot be reached or is shutting down (SQLState classes 08, 53, 57P, pool
     * time-outs, I/O failures anywhere in the chain), INTERNAL otherwise (the database refused the statement).
     */
    static BatonException failure(String what, SQLException e) {
        return new BatonException(unreachable(e) ? ResultCode.UNAVAILABLE : ResultCode.INTERNAL,
                "session store " + what + " failed: " + safeMessage(e) + " (SQLState " + e.getSQLState() + ")", e);
    }

    /** A batch failure's message repeats the statement with its values (session data): report the cause instead. */
    private static String safeMessage(SQLException e) {
        SQLException shown = e instanceof java.sql.BatchUpdateException && e.getNextException() != null ? e.getNextException() : e;
        String m = String.valueOf(shown.getMessage());
        int values = m.indexOf("VALUES");
        m = values < 0 ? m : m.substring(0, values) + "…";
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    private static boolean unreachable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof java.sql.SQLTransientException
                    || t instanceof java.sql.SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
                    return true;
                }
            }
        }
        return false;
    }
}
