package dev.baton.ifmap.model;

import java.util.Optional;

/** The five IF-MAP 2.0 identifier types, by the element name they have on the wire. */
public enum IdentifierType {
    /** An endpoint's attempt to gain access; named by its publisher. */
    ACCESS_REQUEST("access-request"),
    /** A physical asset or a gateway. */
    DEVICE("device"),
    /** An end user or another named principal. */
    IDENTITY("identity"),
    /** One IPv4 or IPv6 address. */
    IP_ADDRESS("ip-address"),
    /** One Ethernet MAC address. */
    MAC_ADDRESS("mac-address");

    private final String element;

    IdentifierType(String element) {
        this.element = element;
    }

    /** The local name of the element in the IF-MAP base namespace. */
    public String element() {
        return element;
    }

    /** The type whose element is called {@code localName}, if any. */
    public static Optional<IdentifierType> ofElement(String localName) {
        for (IdentifierType t : values()) {
            if (t.element.equals(localName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
