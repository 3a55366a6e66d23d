package dev.baton.store.jdbc;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The store contract against an embedded, file-backed H2 database (the default backend). */
class H2SessionStoreTest extends JdbcContractTest {
    @TempDir
    static Path dir;

    @Override
    protected JdbcStoreConfig database() {
        return JdbcStoreConfig.of("jdbc:h2:file:" + dir.resolve("sessions"), "sa", "");
    }
}
