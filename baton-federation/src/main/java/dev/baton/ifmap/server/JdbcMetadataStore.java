package dev.baton.ifmap.server;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import dev.baton.ifmap.model.Xml;
import dev.baton.ifmap.xml.Fragments;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Forever metadata in one SQL table, on embedded H2 (the default) or PostgreSQL. One connection, used by
 * the single persistence writer thread (and by {@link #load()} before it starts), so no pool is needed.
 * Identifiers are stored in their canonical XML form and metadata as the stamped element.
 */
public final class JdbcMetadataStore implements MetadataStore {
    private static final String TABLE = "ifmap_forever_metadata";

    private final Connection connection;
    private final String description;

    private JdbcMetadataStore(Connection connection, String description) {
        this.connection = connection;
        this.description = description;
        createTable();
    }

    /** An embedded H2 database in the files {@code base}.mv.db etc. */
    public static JdbcMetadataStore h2(Path base) {
        String url = "jdbc:h2:file:" + base.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        return open(url, "sa", "", "H2 " + base);
    }

    /** A store at any JDBC URL (PostgreSQL: {@code jdbc:postgresql://host:port/db}). */
    public static JdbcMetadataStore open(String url, String user, String password, String description) {
        try {
            Connection c = DriverManager.getConnection(url, user, password);
            c.setAutoCommit(false);
            return new JdbcMetadataStore(c, description);
        } catch (SQLException e) {
            throw new BatonException(ResultCode.UNAVAILABLE, "cannot open forever-metadata store " + description
                    + ": " + e.getMessage(), e);
        }
    }

    private void createTable() {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY,"
                    + " item_first VARCHAR(8192) NOT NULL, item_second VARCHAR(8192),"
                    + " namespace VARCHAR(1024) NOT NULL, local_name VARCHAR(512) NOT NULL,"
                    + " cardinality VARCHAR(16) NOT NULL, publisher_id VARCHAR(256) NOT NULL,"
                    + " xml VARCHAR(1000000) NOT NULL)");
            connection.commit();
        } catch (SQLException e) {
            throw fail("cannot create table " + TABLE, e);
        }
    }

    @Override
    public List<Stored> load() {
        List<Stored> out = new ArrayList<>();
        String sql = "SELECT id, item_first, item_second, namespace, local_name, cardinality, publisher_id, xml FROM "
                + TABLE + " ORDER BY id";
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String second = rs.getString(3);
                Item item = new Item(Fragments.identifier(rs.getString(2)),
                        second == null ? null : Fragments.identifier(second));
                String ns = rs.getString(4);
                String xml = rs.getString(8);
                Map<String, String> attrs = ns.equals(Xml.BATON_NS) ? Fragments.rootAttributes(xml) : Map.of();
                out.add(new Stored(item, new Metadata(rs.getLong(1), ns, rs.getString(5),
                        Metadata.Cardinality.valueOf(rs.getString(6)), rs.getString(7), Metadata.Lifetime.forever,
                        xml, attrs)));
            }
            connection.commit();
            return out;
        } catch (SQLException e) {
            throw fail("cannot load forever metadata", e);
        }
    }

    /**
     * Net effect first: metadata ids are never reused, so an element added and removed within one group is
     * neither inserted nor deleted, and every other delete and insert touch different rows. That makes the
     * group one DELETE batch and one INSERT batch, however many elements a change replaces.
     */
    @Override
    public void apply(List<Change> changes) {
        Set<Long> removed = new HashSet<>();
        for (Change c : changes) {
            if (!c.added()) {
                removed.add(c.metadata().id());
            }
        }
        String insert = "INSERT INTO " + TABLE + " (id, item_first, item_second, namespace, local_name, cardinality,"
                + " publisher_id, xml) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ins = connection.prepareStatement(insert);
             PreparedStatement del = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
            boolean inserts = false;
            for (Change c : changes) {
                if (c.added() && !removed.remove(c.metadata().id())) {
                    addInsert(ins, c);
                    inserts = true;
                }
            }
            // What is left in `removed` was stored by an earlier group.
            for (long id : removed) {
                del.setLong(1, id);
                del.addBatch();
            }
            if (!removed.isEmpty()) {
                del.executeBatch();
            }
            if (inserts) {
                ins.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            rollback(e);
            throw fail("cannot store " + changes.size() + " forever-metadata changes", e);
        }
    }

    private static void addInsert(PreparedStatement ins, Change c) throws SQLException {
        Metadata m = c.metadata();
        ins.setLong(1, m.id());
        ins.setString(2, c.item().first().toXml());
        ins.setString(3, c.item().isLink() ? c.item().second().toXml() : null);
        ins.setString(4, m.namespace());
        ins.setString(5, m.localName());
        ins.setString(6, m.cardinality().name());
        ins.setString(7, m.publisherId());
        ins.setString(8, m.xml());
        ins.addBatch();
    }

    private void rollback(SQLException failure) {
        try {
            connection.rollback();
        } catch (SQLException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw fail("cannot close", e);
        }
    }

    @Override
    public String toString() {
        return description.replaceAll("\\?.*", "");
    }

    private BatonException fail(String what, SQLException e) {
        return new BatonException(ResultCode.UNAVAILABLE, description + ": " + what + ": " + e.getMessage(), e);
    }
}
