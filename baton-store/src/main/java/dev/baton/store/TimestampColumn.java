package dev.baton.store;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;

/** The column the cleanup task compares with now minus its offset (S3). */
public enum TimestampColumn {
    /** {@code expiry_time}: the session's deadline (default). */
    EXPIRY_TIME("expiry_time"),
    /** {@code last_activity_time}: the last user activity. */
    LAST_ACTIVITY_TIME("last_activity_time");

    private final String column;

    TimestampColumn(String column) {
        this.column = column;
    }

    /** The column name as operators write it. */
    public String column() {
        return column;
    }

    /** Parses {@code expiry_time} or {@code last_activity_time}. */
    public static TimestampColumn parse(String value) {
        for (TimestampColumn c : values()) {
            if (c.column.equalsIgnoreCase(value == null ? "" : value.strip())) {
                return c;
            }
        }
        throw new BatonException(ResultCode.CONFIGURATION,
                "timestamp column must be expiry_time or last_activity_time, got '" + value + "'");
    }
}
