package dev.baton.cli;

import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.config.GatewaySettings;

import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * What {@code baton gateway --check} prints: the settings a gateway would run with, one line per section, with
 * the defaults filled in as the gateway fills them (the federation user is the gateway's name, H2 storage is a
 * file in the data folder, the TLS keystore is generated there) and every secret masked.
 */
final class EffectiveSettings {
    private EffectiveSettings() {
    }

    static String describe(GatewaySettings s, Path dataDir) {
        String name = s.gateway().name();
        GatewaySettings.Federation f = s.federation();
        GatewaySettings.Storage st = s.storage();
        StringBuilder b = new StringBuilder();
        b.append("configuration of gateway ").append(name).append(" is valid; effective settings:\n");
        line(b, "kind", s.gateway().kind().toString().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        line(b, "listen", s.listen().getHostString() + ":" + s.listen().getPort());
        line(b, "migration", String.valueOf(s.gateway().migrationEnabled()));
        line(b, "tls", s.tls().map(t -> "keystore " + t.keystore() + ", password ****").orElse("self-signed, generated on first start in "
                + dataDir.resolve(name + "-tls.p12").toAbsolutePath().normalize()));
        line(b, "federation", "url " + f.url() + ", user " + f.user() + ", password " + (f.password().isEmpty() ? "(none)" : "****")
                + ", trust-all " + f.trustAll() + ", truststore " + f.truststore().map(Path::toString).orElse("(none)")
                + ", poll-coalesce-ms " + f.pollCoalesce().toMillis());
        line(b, "storage", storage(st, dataDir, name));
        line(b, "realms", s.gateway().realms().stream().map(EffectiveSettings::realm).collect(Collectors.joining("; ")));
        line(b, "admin", s.admin().map(a -> "listen " + a.listen().getHostString() + ":" + a.listen().getPort() + ", operators "
                + a.operators()).orElse("off"));
        return b.toString();
    }

    private static String storage(GatewaySettings.Storage st, Path dataDir, String name) {
        String url = switch (st.type()) {
            case "h2" -> ", url " + GatewayNode.h2Url(st, dataDir, name);
            case "postgresql", "mariadb" -> ", url " + st.url().replaceAll("(?i)(password=)[^&;]*", "$1****");
            default -> "";
        };
        return "type " + st.type() + url + (st.user().isEmpty() ? "" : ", user " + st.user())
                + (st.password().isEmpty() ? "" : ", password ****") + ", encryption " + (st.encryptionKey().isEmpty() ? "off" : "AES-GCM")
                + (st.type().equals("memory") || st.type().equals("ldap") ? "" : ", cleanup " + st.cleanup())
                + ", tier " + st.tier() + st.directory().map(d -> ", " + d.store() + ", " + d.purge()).orElse("");
    }

    private static String realm(RealmBinding r) {
        return r.realm().name() + " (" + r.realm().kind().displayName() + r.realm().group().map(g -> ", group " + g).orElse("")
                + ")";
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append("  ").append(key).append(": ").append(value).append('\n');
    }
}
