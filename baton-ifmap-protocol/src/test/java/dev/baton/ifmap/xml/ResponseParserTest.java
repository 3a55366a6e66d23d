package dev.baton.ifmap.xml;

import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.ReceivedMetadata;
import dev.baton.ifmap.model.ResultItem;
import dev.baton.ifmap.model.Xml;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ResponseParserTest {
    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><env:Envelope xmlns:env=\"" + Xml.SOAP_NS
            + "\" xmlns:ifmap=\"" + Xml.IFMAP_NS + "\" xmlns:meta=\"" + Xml.META_NS
            + "\" xmlns:v=\"urn:vendor\"><env:Body><ifmap:response>";
    private static final String TAIL = "</ifmap:response></env:Body></env:Envelope>";

    @Test
    void aCopyDeclaresEveryPrefixItUsesWhereItIsUsedAndRebindsWhatChildrenRebind() {
        // v is declared on the envelope, w on a child, and a grandchild binds v to another namespace: the copy of
        // the metadata element must stand alone and keep every element in its namespace.
        String metadata = "<v:session ifmap-cardinality=\"singleValue\"><a>1</a>"
                + "<w:b xmlns:w=\"urn:other\"><v:c xmlns:v=\"urn:third\">2</v:c><v:e>5</v:e><w:d>3</w:d></w:b><a>4</a></v:session>";
        String body = HEAD + "<searchResult><resultItem><access-request name=\"ar1\"/><metadata>" + metadata
                + "</metadata></resultItem></searchResult>" + TAIL;

        String copy = ResponseParser.parse(body.getBytes(StandardCharsets.UTF_8)).items().get(0).metadata().get(0).xml();

        assertThat(copy).isEqualTo("<v:session xmlns:v=\"urn:vendor\" ifmap-cardinality=\"singleValue\"><a>1</a>"
                + "<w:b xmlns:w=\"urn:other\"><v:c xmlns:v=\"urn:third\">2</v:c><v:e>5</v:e><w:d>3</w:d></w:b><a>4</a></v:session>");
    }

    @Test
    void metadataCarriesItsChildrenTextsAndAStandaloneCopy() {
        String body = HEAD + "<searchResult><resultItem><access-request name=\"ar1\"/><metadata>"
                + "<meta:role ifmap-cardinality=\"multiValue\" ifmap-publisher-id=\"gw-a\">"
                + "<name>  Staff &amp; Contractors </name><administrative-domain>corp</administrative-domain></meta:role>"
                + "<v:session ifmap-cardinality=\"singleValue\"><attr>one</attr><attr><![CDATA[<two>]]></attr>"
                + "<nested>a<inner>b</inner>c</nested><empty/></v:session>"
                + "</metadata></resultItem></searchResult>" + TAIL;

        ResponseParser.Response r = ResponseParser.parse(body.getBytes(StandardCharsets.UTF_8));

        assertThat(r.items()).hasSize(1);
        List<ReceivedMetadata> metadata = r.items().get(0).metadata();
        ReceivedMetadata role = metadata.get(0);
        assertThat(role.is(Xml.META_NS, "role")).isTrue();
        assertThat(role.publisherId()).isEqualTo("gw-a");
        assertThat(role.children()).containsExactly(Map.entry("name", List.of("Staff & Contractors")),
                Map.entry("administrative-domain", List.of("corp")));
        ReceivedMetadata session = metadata.get(1);
        assertThat(session.children()).containsExactly(Map.entry("attr", List.of("one", "<two>")),
                Map.entry("nested", List.of("abc")), Map.entry("empty", List.of("")));
        assertThat(session.child("attr")).isEqualTo("one");
        // The copy stands alone: it declares its own prefixes and parses to the same children.
        assertThat(session.xml()).startsWith("<v:session xmlns:v=\"urn:vendor\"").contains("&lt;two");
        String wrapped = HEAD + "<searchResult><resultItem><access-request name=\"ar1\"/><metadata>" + session.xml()
                + "</metadata></resultItem></searchResult>" + TAIL;
        ResultItem again = ResponseParser.parse(wrapped.getBytes(StandardCharsets.UTF_8)).items().get(0);
        assertThat(again.metadata().get(0).children()).isEqualTo(session.children());
    }

    @Test
    void anOwnershipConflictIsTheMarkedFailureNotAnyFailureWhoseTextSaysSo() {
        String marked = HEAD + "<errorResult errorCode=\"Failure\" xmlns:baton=\"" + Xml.BATON_NS
                + "\" baton:conflict=\"session-owner\"><errorString>generation 2, not 1</errorString></errorResult>" + TAIL;
        String worded = HEAD + "<errorResult errorCode=\"Failure\"><errorString>ownership conflict: generation 2, not 1"
                + "</errorString></errorResult>" + TAIL;

        IfmapException conflict = catchThrowableOfType(IfmapException.class,
                () -> ResponseParser.parse(marked.getBytes(StandardCharsets.UTF_8)));
        IfmapException failure = catchThrowableOfType(IfmapException.class,
                () -> ResponseParser.parse(worded.getBytes(StandardCharsets.UTF_8)));

        assertThat(conflict.isOwnershipConflict()).isTrue();
        assertThat(conflict.error()).isEqualTo(IfmapError.Failure);
        assertThat(conflict.getMessage()).isEqualTo("generation 2, not 1");
        assertThat(failure.isOwnershipConflict()).isFalse();
    }
}
