package dev.baton.ifmap.server;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: H2 in a file. */
class H2MetadataStoreTest extends MetadataStoreContract {
    @TempDir
    Path dir;

    @Override
    MetadataStore open() {
        return JdbcMetadataStore.h2(dir.resolve("db"));
    }
}
