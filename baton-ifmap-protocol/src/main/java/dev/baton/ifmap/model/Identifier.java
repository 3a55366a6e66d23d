package dev.baton.ifmap.model;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One IF-MAP identifier. Two identifiers are the same graph node exactly when these records are equal, so
 * the constructor normalises what the standard says compares case-insensitively (MAC addresses, the
 * IP-address type) and leaves every other value as the client sent it.
 *
 * @param type                the identifier type
 * @param name                access-request and identity {@code name}, device {@code name} or {@code aik-name}
 *                            text, ip-address and mac-address {@code value}
 * @param administrativeDomain the {@code administrative-domain}, or "" (devices have none)
 * @param subtype             identity {@code type}, ip-address {@code type} ({@code IPv4} by default),
 *                            device child element ({@code name} or {@code aik-name}); "" otherwise
 * @param otherTypeDefinition identity {@code other-type-definition}, or ""
 */
public record Identifier(IdentifierType type, String name, String administrativeDomain, String subtype,
                         String otherTypeDefinition) implements Comparable<Identifier> {

    /** Identity {@code type} values of IF-MAP 2.0. */
    public static final Set<String> IDENTITY_TYPES = Set.of("aik-name", "distinguished-name", "dns-name",
            "email-address", "hip-hit", "kerberos-principal", "trusted-platform-module", "username", "sip-uri",
            "tel-uri", "other");
    /** The longest identifier value this server accepts, in characters. */
    public static final int MAX_LENGTH = 2048;

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    private static final Comparator<Identifier> ORDER = Comparator.comparing(Identifier::type)
            .thenComparing(Identifier::name).thenComparing(Identifier::administrativeDomain)
            .thenComparing(Identifier::subtype).thenComparing(Identifier::otherTypeDefinition);

    /** Validates and normalises; failures carry the IF-MAP error code the standard asks for. */
    public Identifier {
        Objects.requireNonNull(type, "type");
        name = name == null ? "" : name;
        administrativeDomain = administrativeDomain == null ? "" : administrativeDomain;
        subtype = subtype == null ? "" : subtype;
        otherTypeDefinition = otherTypeDefinition == null ? "" : otherTypeDefinition;
        if (name.length() + administrativeDomain.length() + otherTypeDefinition.length() > MAX_LENGTH) {
            throw new IfmapException(IfmapError.IdentifierTooLong,
                    type.element() + " is longer than " + MAX_LENGTH + " characters");
        }
        switch (type) {
            case ACCESS_REQUEST -> requireName(type, name, "name");
            case DEVICE -> {
                requireName(type, name, "name or aik-name");
                if (!subtype.equals("name") && !subtype.equals("aik-name")) {
                    throw invalid("device needs a <name> or <aik-name> child");
                }
            }
            case IDENTITY -> {
                requireName(type, name, "name");
                if (!IDENTITY_TYPES.contains(subtype)) {
                    throw invalid("identity type '" + subtype + "' is not one of " + IDENTITY_TYPES);
                }
            }
            case IP_ADDRESS -> {
                subtype = subtype.isEmpty() ? "IPv4" : subtype;
                if (subtype.equals("IPv4") ? !IPV4.matcher(name).matches()
                        : !subtype.equals("IPv6") || !IPV6.matcher(name).matches() || !name.contains(":")) {
                    throw invalid("ip-address value '" + name + "' is not a valid " + subtype + " address");
                }
            }
            case MAC_ADDRESS -> {
                name = name.toLowerCase(Locale.ROOT);
                if (!MAC.matcher(name).matches()) {
                    throw invalid("mac-address value '" + name + "' is not six colon-separated hex octets");
                }
            }
        }
    }

    /** An access-request named {@code name} (no administrative domain). */
    public static Identifier accessRequest(String name) {
        return new Identifier(IdentifierType.ACCESS_REQUEST, name, "", "", "");
    }

    /** A device with a {@code <name>} child. */
    public static Identifier device(String name) {
        return new Identifier(IdentifierType.DEVICE, name, "", "name", "");
    }

    /** An identity of {@code type} (for example {@code username}). */
    public static Identifier identity(String name, String type) {
        return new Identifier(IdentifierType.IDENTITY, name, "", type, "");
    }

    /** An IPv4 address. */
    public static Identifier ipv4(String value) {
        return new Identifier(IdentifierType.IP_ADDRESS, value, "", "IPv4", "");
    }

    /** A MAC address. */
    public static Identifier mac(String value) {
        return new Identifier(IdentifierType.MAC_ADDRESS, value, "", "", "");
    }

    /** Appends this identifier as an element with the given base-namespace prefix (may be empty). */
    public void appendXml(StringBuilder out, String prefix) {
        String tag = prefix.isEmpty() ? type.element() : prefix + ":" + type.element();
        out.append('<').append(tag);
        switch (type) {
            case ACCESS_REQUEST -> attr(out, "name", name);
            case IDENTITY -> {
                attr(out, "name", name);
                attr(out, "type", subtype);
                if (!otherTypeDefinition.isEmpty()) {
                    attr(out, "other-type-definition", otherTypeDefinition);
                }
            }
            case IP_ADDRESS -> {
                attr(out, "value", name);
                attr(out, "type", subtype);
            }
            case MAC_ADDRESS -> attr(out, "value", name);
            case DEVICE -> { }
        }
        if (!administrativeDomain.isEmpty()) {
            attr(out, "administrative-domain", administrativeDomain);
        }
        if (type == IdentifierType.DEVICE) {
            out.append("><").append(subtype).append('>');
            Xml.escape(out, name, false);
            out.append("</").append(subtype).append("></").append(tag).append('>');
        } else {
            out.append("/>");
        }
    }

    /** This identifier as XML with an {@code ifmap:} prefix declared on it; used as a storage key. */
    public String toXml() {
        StringBuilder out = new StringBuilder(96);
        appendXml(out, "");
        out.insert(1 + type.element().length(), " xmlns=\"" + Xml.IFMAP_NS + "\"");
        return out.toString();
    }

    @Override
    public int compareTo(Identifier o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return type.element() + "(" + name + (subtype.isEmpty() ? "" : "," + subtype)
                + (administrativeDomain.isEmpty() ? "" : "@" + administrativeDomain) + ")";
    }

    private static void attr(StringBuilder out, String name, String value) {
        out.append(' ').append(name).append("=\"");
        Xml.escape(out, value, true);
        out.append('"');
    }

    private static void requireName(IdentifierType type, String name, String what) {
        if (name.isEmpty()) {
            throw invalid(type.element() + " needs a non-empty " + what);
        }
    }

    private static IfmapException invalid(String message) {
        return new IfmapException(IfmapError.InvalidIdentifier, message);
    }
}
