package dev.baton.store.jdbc;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Checks that a database server the tests need is there. A missing server fails the test loudly, unless
 * {@code -Dbaton.allowSkip=true} is set, in which case the test is skipped with the reason.
 */
final class Servers {
    private Servers() {
    }

    static void require(String what, String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.isValid(2);
        } catch (SQLException e) {
            missing(what + " at " + url.replaceAll("\\?.*", "") + " is not reachable (" + e.getMessage() + ")");
        }
    }

    static void missing(String reason) {
        if (Boolean.getBoolean("baton.allowSkip")) {
            Assumptions.abort(reason + "; skipped because baton.allowSkip=true");
        }
        throw new AssertionError(reason + "; start it, or set -Dbaton.allowSkip=true to skip");
    }
}
