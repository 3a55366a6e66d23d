package dev.baton.bench.admin;

import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.Session;
import dev.baton.core.SessionId;
import dev.baton.store.SessionCodec;
import dev.baton.store.StoredSession;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.postgresql.PGConnection;

/**
 * Fills a Baton sessions table in PostgreSQL with COPY, fast enough for a million rows: one session encoded
 * once, re-used with a fresh hash and user name per row. Every row is live (expiring within the next day) and
 * held by one gateway; users own {@code perUser} sessions each.
 */
final class StoredSessions {
    private StoredSessions() {
    }

    static void load(String url, String table, String gateway, int count, int perUser, Instant now) throws Exception {
        Session template = Session.start(SessionId.generate().hash(), "template-user", "users", new AuthGroup("corp"),
                AuthServerKind.LOCAL, Set.of("staff"), Map.of("department", List.of("sales")), now, gateway);
        String templateHash = template.hash().hex();
        String json = SessionCodec.plain().encode(new StoredSession(template, now.plus(Duration.ofHours(1))));
        String copy = "COPY " + table + " (id_hash, user_name, realm, auth_group, owner_gateway, start_time, "
                + "last_activity_time, expiry_time, session_data) FROM STDIN";
        try (Connection c = DriverManager.getConnection(url)) {
            PGConnection pg = c.unwrap(PGConnection.class);
            StringBuilder chunk = new StringBuilder();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < count; i++) {
                String hex = String.format("%016x%016x%016x%016x", random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
                String user = "user" + (i % Math.max(1, count / perUser));
                long start = now.minusSeconds(random.nextInt(3600)).toEpochMilli();
                long expiry = now.plusSeconds(60 + random.nextInt(86_400)).toEpochMilli();
                // COPY text format: tab-separated; this JSON has no tabs, newlines or backslashes
                chunk.append(hex).append('\t').append(user).append("\tusers\tcorp\t").append(gateway).append('\t')
                        .append(start).append('\t').append(start).append('\t').append(expiry).append('\t')
                        .append(json.replace(templateHash, hex).replace("template-user", user)).append('\n');
                if (chunk.length() > 8 << 20) {
                    pg.getCopyAPI().copyIn(copy, new StringReader(chunk.toString()));
                    chunk.setLength(0);
                }
            }
            pg.getCopyAPI().copyIn(copy, new StringReader(chunk.toString()));
            try (Statement st = c.createStatement()) {
                st.execute("VACUUM ANALYZE " + table);
            }
        }
    }

    static void drop(String url, String prefix) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String t : List.of("sessions", "lease", "schema_history")) {
                s.execute("DROP TABLE IF EXISTS " + prefix + t);
            }
        }
    }
}
