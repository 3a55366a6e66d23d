package dev.baton.ifmap.server;

import dev.baton.ifmap.model.IfmapError;
import dev.baton.ifmap.model.IfmapException;
import dev.baton.ifmap.model.Item;
import dev.baton.ifmap.model.Metadata;
import dev.baton.ifmap.model.Xml;
import java.util.List;
import java.util.Map;

/** Writes IF-MAP 2.0 responses and SOAP faults as SOAP 1.2 envelopes. Stateless and thread-safe. */
final class ResponseWriter {
    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><env:Envelope xmlns:env=\""
            + Xml.SOAP_NS + "\" xmlns:ifmap=\"" + Xml.IFMAP_NS + "\"><env:Body><ifmap:response>";
    private static final String TAIL = "</ifmap:response></env:Body></env:Envelope>";

    private ResponseWriter() {
    }

    static String newSession(ClientSession s) {
        return HEAD + "<newSessionResult session-id=\"" + Xml.escapeAttribute(s.id) + "\" ifmap-publisher-id=\""
                + Xml.escapeAttribute(s.publisherId) + "\" max-poll-result-size=\"" + s.maxPollResultSize + "\"/>"
                + TAIL;
    }

    /** An empty result element such as {@code publishReceived} or {@code endSessionResult}. */
    static String received(String element) {
        return HEAD + "<" + element + "/>" + TAIL;
    }

    /** The code an errorResult of {@code code} carries on the wire (NotAuthorized is sent as AccessDenied). */
    static IfmapError code(IfmapError code) {
        return code == IfmapError.NotAuthorized ? IfmapError.AccessDenied : code;
    }

    static String error(IfmapError code, String message) {
        return error(new IfmapException(code, message));
    }

    static String error(IfmapException e) {
        StringBuilder out = new StringBuilder(HEAD);
        errorResult(out, e.error(), e.getMessage(), null, e.isOwnershipConflict());
        return out.append(TAIL).toString();
    }

    static String searchResult(SearchResult r) {
        StringBuilder out = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 1024, r.size() + 512)).append(HEAD);
        result(out, "searchResult", null, r.items());
        return out.append(TAIL).toString();
    }

    /**
     * Baton's {@code searchBatchResult}: for each search in order, a {@code searchResult} or an {@code errorResult}
     * (for an {@link IfmapException}) named by its position from 0.
     */
    static String searchBatchResult(List<Object> results) {
        long size = 512;
        for (Object r : results) {
            size += r instanceof SearchResult sr ? sr.size() + 64 : 512;
        }
        StringBuilder out = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 1024, size)).append(HEAD)
                .append("<baton:searchBatchResult xmlns:baton=\"").append(Xml.BATON_NS).append("\">");
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof SearchResult sr) {
                result(out, "searchResult", Integer.toString(i), sr.items());
            } else {
                IfmapException e = (IfmapException) results.get(i);
                errorResult(out, e.error(), e.getMessage(), Integer.toString(i), e.isOwnershipConflict());
            }
        }
        return out.append("</baton:searchBatchResult>").append(TAIL).toString();
    }

    static String pollResult(List<PollEntry> entries) {
        long size = 512;
        for (PollEntry e : entries) {
            size += e.size();
        }
        StringBuilder out = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 1024, size)).append(HEAD)
                .append("<pollResult>");
        for (PollEntry e : entries) {
            if (e.kind() == PollEntry.Kind.errorResult) {
                errorResult(out, e.error(), e.detail(), e.name(), false);
            } else {
                result(out, e.kind().name(), e.name(), e.items());
            }
        }
        return out.append("</pollResult>").append(TAIL).toString();
    }

    static String fault(String reason, boolean sender) {
        StringBuilder out = new StringBuilder(512).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><env:Envelope"
                + " xmlns:env=\"").append(Xml.SOAP_NS).append("\"><env:Body><env:Fault><env:Code><env:Value>")
                .append(sender ? "env:Sender" : "env:Receiver").append("</env:Value></env:Code><env:Reason>"
                        + "<env:Text xml:lang=\"en\">");
        Xml.escape(out, reason, false);
        return out.append("</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>").toString();
    }

    private static void result(StringBuilder out, String element, String name, Map<Item, List<Metadata>> items) {
        out.append('<').append(element);
        if (name != null) {
            out.append(" name=\"");
            Xml.escape(out, name, true);
            out.append('"');
        }
        out.append('>');
        for (var e : items.entrySet()) {
            if (e.getKey().isLink() && e.getValue().isEmpty()) {
                continue;
            }
            out.append("<resultItem>");
            e.getKey().appendXml(out, "");
            if (!e.getValue().isEmpty()) {
                out.append("<metadata>");
                for (Metadata m : e.getValue()) {
                    out.append(m.xml());
                }
                out.append("</metadata>");
            }
            out.append("</resultItem>");
        }
        out.append("</").append(element).append('>');
    }

    /**
     * Every errorResult leaves through here. {@code NotAuthorized} is not a code of the IF-MAP 2.x base schema
     * and standard clients (ifmapj) cannot parse it, so it goes out as {@code AccessDenied}. A lost session-owner
     * claim, which IF-MAP has no code for, is a {@code Failure} marked with {@code baton:conflict}; only clients
     * that claim, Baton's, ever get one.
     */
    private static void errorResult(StringBuilder out, IfmapError code, String message, String name,
                                    boolean ownershipConflict) {
        IfmapError sent = code(code);
        out.append("<errorResult errorCode=\"").append(sent.name()).append('"');
        if (ownershipConflict) {
            out.append(" xmlns:baton=\"").append(Xml.BATON_NS).append("\" baton:conflict=\"session-owner\"");
        }
        if (name != null) {
            out.append(" name=\"");
            Xml.escape(out, name, true);
            out.append('"');
        }
        out.append("><errorString>");
        Xml.escape(out, message, false);
        out.append("</errorString></errorResult>");
    }
}
