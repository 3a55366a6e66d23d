package dev.baton.store.jdbc;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.store.TimestampColumn;

/** What differs between the SQL databases Baton supports: upsert, batched delete, migration folder. */
public enum Dialect {
    /** H2 2.x, embedded (the default). */
    H2("h2"),
    /** PostgreSQL 12 and later. */
    POSTGRESQL("postgresql"),
    /** MariaDB 10.5 and later (and MySQL 8). */
    MARIADB("mariadb");

    static final String COLUMNS = "id_hash, user_name, realm, auth_group, owner_gateway, start_time, "
            + "last_activity_time, expiry_time, session_data";
    private static final String VALUES = "?, ?, ?, ?, ?, ?, ?, ?, ?";
    private static final String[] UPDATED = {"user_name", "realm", "auth_group", "owner_gateway", "start_time",
        "last_activity_time", "expiry_time", "session_data"};

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** The dialect of a JDBC URL. */
    public static Dialect of(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        throw new BatonException(ResultCode.CONFIGURATION,
                "store.jdbc.url must start with jdbc:h2:, jdbc:postgresql: or jdbc:mariadb:, got '" + url.split(":", 3)[0]
                        + ":" + (url.contains(":") ? url.split(":", 3)[1] : "") + ":...'");
    }

    /** Flyway location of this dialect's migrations. */
    String migrations() {
        return "classpath:db/baton/" + folder;
    }

    /** Insert-or-replace of one session row, parameters in {@link #COLUMNS} order. */
    String upsert(String table) {
        return switch (this) {
            case H2 -> "MERGE INTO " + table + " (" + COLUMNS + ") KEY (id_hash) VALUES (" + VALUES + ")";
            case POSTGRESQL -> "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (" + VALUES + ") ON CONFLICT (id_hash) DO UPDATE SET "
                    + assignments("EXCLUDED.%s");
            case MARIADB -> "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (" + VALUES + ") ON DUPLICATE KEY UPDATE "
                    + assignments("VALUES(%s)");
        };
    }

    /**
     * Deletes at most {@code ?3} rows whose {@code column} is at or above {@code ?1} and below {@code ?2},
     * oldest first, and yields the deleted rows' {@code column} values. Ordering by the indexed column from
     * where the last batch stopped keeps every batch a short index range scan.
     */
    String deleteExpired(String table, TimestampColumn column) {
        String c = column.column();
        String range = " WHERE " + c + " >= ? AND " + c + " < ? ORDER BY " + c;
        return switch (this) {
            // ctid lets PostgreSQL delete the chosen rows without a second index look-up
            case POSTGRESQL -> "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table + range
                    + " LIMIT ?)) RETURNING " + c;
            case MARIADB -> "DELETE FROM " + table + range + " LIMIT ? RETURNING " + c;
            case H2 -> "SELECT " + c + " FROM OLD TABLE (DELETE FROM " + table + " WHERE id_hash IN (SELECT id_hash FROM "
                    + table + range + " FETCH FIRST ? ROWS ONLY))";
        };
    }

    private static String assignments(String format) {
        StringBuilder sb = new StringBuilder();
        for (String col : UPDATED) {
            sb.append(sb.isEmpty() ? "" : ", ").append(col).append(" = ").append(format.formatted(col));
        }
        return sb.toString();
    }
}
