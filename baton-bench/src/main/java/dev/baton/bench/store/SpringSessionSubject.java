package dev.baton.bench.store;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spring Session JDBC ({@link JdbcIndexedSessionRepository} with spring-jdbc's JdbcTemplate and a HikariCP pool
 * of the same size as Baton's) on the same PostgreSQL. Each session carries the same data as Baton's: the
 * principal name (indexed, as Spring Session does for per-user look-ups) and one attribute holding user,
 * realm, group, roles and user attributes, so one session is two attribute rows.
 */
final class SpringSessionSubject implements Subject {
    private final HikariDataSource pool;
    private final JdbcIndexedSessionRepository repository;
    private final String[][] ids;

    SpringSessionSubject(String url, String table, int poolSize, int threads, int perThread) {
        this.pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setMaximumPoolSize(poolSize);
        pool.setPoolName("spring-session");
        JdbcTemplate jdbc = new JdbcTemplate(pool);
        createSchema(jdbc, table);
        this.repository = new JdbcIndexedSessionRepository(jdbc, new TransactionTemplate(new DataSourceTransactionManager(pool)));
        repository.setTableName(table);
        repository.setDefaultMaxInactiveInterval(BatonSubject.IDLE);
        this.ids = new String[threads][perThread];
    }

    /** The PostgreSQL schema shipped in the spring-session-jdbc jar, with our table name. */
    static void createSchema(JdbcTemplate jdbc, String table) {
        try (InputStream in = JdbcIndexedSessionRepository.class.getResourceAsStream("schema-postgresql.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("SPRING_SESSION", table);
            for (String statement : sql.split(";")) {
                if (!statement.isBlank()) {
                    jdbc.execute(statement);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("spring-session-jdbc schema not found", e);
        }
    }

    static void dropSchema(JdbcTemplate jdbc, String table) {
        jdbc.execute("DROP TABLE IF EXISTS " + table + "_ATTRIBUTES");
        jdbc.execute("DROP TABLE IF EXISTS " + table);
    }

    @Override
    public String name() {
        return "spring_session";
    }

    @Override
    public void create(int thread, int i) {
        ids[thread][i] = create(repository, "user" + thread + "-" + i);
    }

    /** Generic over the repository's private session class, which callers cannot name. */
    private static <S extends Session> String create(SessionRepository<S> repository, String user) {
        S session = repository.createSession();
        Map<String, Object> data = new HashMap<>();
        data.put("user", user);
        data.put("realm", "users");
        data.put("authGroup", "corp");
        data.put("authServerKind", "LDAP");
        data.put("roles", List.of("staff", "vpn"));
        data.put("attributes", new HashMap<>(Map.of("department", List.of("sales"), "mail", List.of(user + "@example.org"))));
        session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, user);
        session.setAttribute("baton.session", data);
        repository.save(session);
        return session.getId();
    }

    @Override
    public void read(int thread, int i) {
        if (repository.findById(ids[thread][i]) == null) {
            throw new IllegalStateException("session lost");
        }
    }

    /** What SessionRepositoryFilter does per request: find, mark accessed, save. */
    @Override
    public void touch(int thread, int i) {
        touch(repository, ids[thread][i]);
    }

    private static <S extends Session> void touch(SessionRepository<S> repository, String id) {
        S session = repository.findById(id);
        session.setLastAccessedTime(Instant.now());
        repository.save(session);
    }

    @Override
    public void delete(int thread, int i) {
        repository.deleteById(ids[thread][i]);
    }

    void drop(String table) {
        dropSchema(new JdbcTemplate(pool), table);
    }

    @Override
    public void close() {
        pool.close();
    }
}
