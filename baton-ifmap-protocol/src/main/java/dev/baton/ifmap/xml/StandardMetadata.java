package dev.baton.ifmap.xml;

import dev.baton.ifmap.model.Metadata.Cardinality;
import dev.baton.ifmap.model.Xml;
import java.util.Map;
import java.util.Optional;

/** The cardinality of IF-MAP 2.0 standard metadata, used when a client leaves {@code ifmap-cardinality} out. */
final class StandardMetadata {
    private static final Map<String, Cardinality> CARDINALITY = Map.ofEntries(
            Map.entry("access-request-device", Cardinality.singleValue),
            Map.entry("access-request-ip", Cardinality.singleValue),
            Map.entry("access-request-mac", Cardinality.singleValue),
            Map.entry("authenticated-as", Cardinality.singleValue),
            Map.entry("authenticated-by", Cardinality.singleValue),
            Map.entry("device-ip", Cardinality.singleValue),
            Map.entry("discovered-by", Cardinality.singleValue),
            Map.entry("wlan-information", Cardinality.singleValue),
            Map.entry("capability", Cardinality.multiValue),
            Map.entry("role", Cardinality.multiValue),
            Map.entry("device-attribute", Cardinality.multiValue),
            Map.entry("device-characteristic", Cardinality.multiValue),
            Map.entry("enforcement-report", Cardinality.multiValue),
            Map.entry("event", Cardinality.multiValue),
            Map.entry("ip-mac", Cardinality.multiValue),
            Map.entry("layer2-information", Cardinality.multiValue),
            Map.entry("location", Cardinality.multiValue),
            Map.entry("request-for-investigation", Cardinality.multiValue),
            Map.entry("unexpected-behavior", Cardinality.multiValue));

    private StandardMetadata() {
    }

    static Optional<Cardinality> cardinalityOf(String namespace, String localName) {
        return Xml.META_NS.equals(namespace) ? Optional.ofNullable(CARDINALITY.get(localName)) : Optional.empty();
    }
}
