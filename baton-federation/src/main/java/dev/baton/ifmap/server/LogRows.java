package dev.baton.ifmap.server;

import dev.baton.ifmap.model.Filter;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import dev.baton.ifmap.model.Xml;
import dev.baton.ifmap.xml.Fragments;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@link GraphOp}s are written to and read from the replicas' log table: one row per metadata element
 * (its log sequence number becomes its id on every replica), one per delete and one per purge.
 * Identifiers are stored in their canonical XML form, filters with the namespace bindings they were
 * compiled with. Stateless.
 */
final class LogRows {
    /** The columns {@link Row#bind} fills, in its order; the log and the snapshot tables have them after {@code seq}. */
    static final String COLUMNS = "batch, kind, item_first, item_second, namespace, local_name, cardinality,"
            + " publisher_id, lifetime, xml, filter, filter_ns";
    /** {@link #COLUMNS} with their types, for CREATE TABLE. */
    static final String COLUMN_TYPES = "batch BIGINT NOT NULL, kind CHAR(1) NOT NULL, item_first TEXT, item_second TEXT,"
            + " namespace TEXT, local_name TEXT, cardinality TEXT, publisher_id TEXT, lifetime TEXT, xml TEXT, filter TEXT,"
            + " filter_ns TEXT";
    /** One parameter per column of {@link #COLUMNS}. */
    static final String PARAMETERS = "?,?,?,?,?,?,?,?,?,?,?,?";

    private LogRows() {
    }

    /** One log row; {@code kind} U put, N tell, D remove, P purge. */
    record Row(char kind, Item item, Metadata metadata, Filter filter, String publisher, String lifetime) {
        void bind(PreparedStatement ps, long batch) throws SQLException {
            ps.setLong(1, batch);
            ps.setString(2, String.valueOf(kind));
            ps.setString(3, item == null ? null : item.first().toXml());
            ps.setString(4, item == null || !item.isLink() ? null : item.second().toXml());
            ps.setString(5, metadata == null ? null : metadata.namespace());
            ps.setString(6, metadata == null ? null : metadata.localName());
            ps.setString(7, metadata == null ? null : metadata.cardinality().name());
            ps.setString(8, metadata != null ? metadata.publisherId() : publisher);
            ps.setString(9, metadata != null ? metadata.lifetime().name() : lifetime);
            ps.setString(10, metadata == null ? null : metadata.xml());
            ps.setString(11, filter == null ? null : filter.text());
            ps.setString(12, filter == null ? null : namespaces(filter.namespaces()));
        }
    }

    static List<Row> rows(List<GraphOp> ops) {
        List<Row> rows = new ArrayList<>();
        for (GraphOp op : ops) {
            switch (op) {
                case GraphOp.Put p -> p.metadata().forEach(m -> rows.add(new Row('U', p.item(), m, null, null, null)));
                case GraphOp.Tell t -> t.metadata().forEach(m -> rows.add(new Row('N', t.item(), m, null, null, null)));
                case GraphOp.Remove r -> rows.add(new Row('D', r.item(), null, r.filter(), r.onlyPublisher(), null));
                case GraphOp.Purge p -> rows.add(new Row('P', null, null, null, p.publisherId(),
                        p.sessionOnly() ? "session" : "all"));
            }
        }
        return rows;
    }

    static GraphOp op(ResultSet rs) throws SQLException {
        char kind = rs.getString(3).charAt(0);
        if (kind == 'P') {
            return new GraphOp.Purge(rs.getString(9), "session".equals(rs.getString(10)));
        }
        String second = rs.getString(5);
        Item item = new Item(Fragments.identifier(rs.getString(4)), second == null ? null : Fragments.identifier(second));
        if (kind == 'D') {
            String filter = rs.getString(12);
            return new GraphOp.Remove(item, filter == null ? null : Filter.compile(filter, namespaces(rs.getString(13))),
                    rs.getString(9));
        }
        String ns = rs.getString(6);
        String xml = rs.getString(11);
        Metadata m = new Metadata(rs.getLong(1), ns, rs.getString(7), Metadata.Cardinality.valueOf(rs.getString(8)),
                rs.getString(9), Metadata.Lifetime.valueOf(rs.getString(10)), xml,
                ns.equals(Xml.BATON_NS) ? Fragments.rootAttributes(xml) : Map.of());
        return kind == 'N' ? new GraphOp.Tell(item, List.of(m)) : new GraphOp.Put(item, List.of(m));
    }

    static String key(Item item) {
        String text = item.first().toXml() + (item.isLink() ? item.second().toXml() : "");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String namespaces(Map<String, String> map) {
        StringBuilder out = new StringBuilder();
        map.forEach((p, ns) -> out.append(p).append('=').append(ns).append('\n'));
        return out.toString();
    }

    private static Map<String, String> namespaces(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq >= 0) {
                    map.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return map;
    }

}
