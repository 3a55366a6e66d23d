package dev.baton.gateway.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.baton.core.AccessPolicy;
import dev.baton.core.AuthGroup;
import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.GatewayKind;
import dev.baton.core.HostCheckerPolicy;
import dev.baton.core.Realm;
import dev.baton.core.ResultCode;
import dev.baton.core.Role;
import dev.baton.core.RoleMappingRule;
import dev.baton.core.SessionOptions;
import dev.baton.core.config.ConfigNode;
import dev.baton.gateway.Authenticator;
import dev.baton.gateway.GatewayConfig;
import dev.baton.gateway.LocalAccounts;
import dev.baton.gateway.RealmBinding;
import dev.baton.gateway.SessionLimit;
import dev.baton.gateway.admission.AdmissionSettings;
import dev.baton.gateway.auth.AuthServers;
import dev.baton.ifmap.FederationClientConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a gateway's YAML configuration (documented in {@code docs/gateway.md}) into frozen settings. Every
 * key is checked; an error names the key and what is wrong. Authentication servers other than local accounts
 * are built by factories registered per kind.
 */
public final class GatewayConfigFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<AuthServerKind, Function<ConfigNode, Authenticator>> servers = new EnumMap<>(AuthServerKind.class);

    /**
     * A reader that knows every kind: local accounts from the {@code accounts} list, the others from their keys
     * ({@code ldap.servers}, {@code radius.secret}, ...) as {@link AuthServers#create} documents them.
     */
    public GatewayConfigFile() {
        for (AuthServerKind kind : AuthServerKind.values()) {
            servers.put(kind, node -> AuthServers.create(kind, node, java.time.Clock.systemUTC()));
        }
        servers.put(AuthServerKind.LOCAL, GatewayConfigFile::localAccounts);
    }

    /** Registers how to build the authentication server of {@code kind} from its {@code auth-server} node. */
    public GatewayConfigFile register(AuthServerKind kind, Function<ConfigNode, Authenticator> factory) {
        servers.put(kind, factory);
        return this;
    }

    /** Reads and validates a file. */
    public GatewaySettings read(Path file) {
        try {
            return parse(YAML.readValue(Files.readAllBytes(file), Object.class));
        } catch (IOException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "cannot read gateway configuration " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads and validates YAML text. */
    public GatewaySettings parse(String yaml) {
        try {
            return parse(YAML.readValue(yaml, Object.class));
        } catch (IOException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "gateway configuration is not valid YAML: " + e.getMessage(), e);
        }
    }

    private GatewaySettings parse(Object doc) {
        ConfigNode root = ConfigNode.root(doc).allowOnly(Set.of("name", "kind", "listen", "tls", "migration",
                "federation", "storage", "roles", "host-checker", "host-checker-timeout", "realms", "admission", "admin", "sso"));
        String name = root.text("name");
        GatewayKind kind = root.value("kind", GatewayKind::parse, GatewayKind.REMOTE_ACCESS);
        List<HostCheckerPolicy> policies = new ArrayList<>();
        ConfigNode hostChecker = root.get("host-checker");
        root.map("host-checker").forEach((policy, node) -> policies.add(wrap(() -> new HostCheckerPolicy(policy,
                hostChecker.texts(policy).stream().map(HostCheckerPolicy.Requirement::parse).toList()), node.path())));
        List<Role> roles = new ArrayList<>();
        root.map("roles").forEach((role, node) -> roles.add(role(role, node)));
        AccessPolicy access = wrap(() -> new AccessPolicy(roles, policies), "roles");
        List<RealmBinding> realms = root.list("realms").stream().map(this::realm).toList();
        Duration hostCheckTimeout = root.duration("host-checker-timeout", GatewayConfig.DEFAULT_HOST_CHECK_TIMEOUT);
        GatewayConfig config = new GatewayConfig(name, kind, root.bool("migration", true), realms, access, hostCheckTimeout,
                admission(root.get("admission")));
        return new GatewaySettings(config, address(root.optionalText("listen").orElse("127.0.0.1:8444"), "listen"),
                tls(root.get("tls")), federation(root.get("federation"), name), StorageSection.read(root.get("storage"), name),
                admin(root.get("admin")), root.has("sso") ? Optional.of(root.get("sso")) : Optional.empty());
    }

    private static AdmissionSettings admission(ConfigNode n) {
        n.allowOnly(Set.of("max-concurrent-sign-ins", "max-queued-sign-ins", "queue-wait", "free-failures-per-user",
                "free-failures-per-source", "base-delay", "max-delay", "lock-after", "lock-duration", "max-tracked"));
        AdmissionSettings d = AdmissionSettings.DEFAULTS;
        return wrap(() -> new AdmissionSettings((int) n.number("max-concurrent-sign-ins", d.maxConcurrentSignIns(), 1, 4096),
                (int) n.number("max-queued-sign-ins", d.maxQueuedSignIns(), 0, 100_000), n.duration("queue-wait", d.queueWait()),
                (int) n.number("free-failures-per-user", d.freeFailuresPerUser(), 1, 1000),
                (int) n.number("free-failures-per-source", d.freeFailuresPerSource(), 1, 100_000),
                n.duration("base-delay", d.baseDelay()), n.duration("max-delay", d.maxDelay()),
                (int) n.number("lock-after", d.lockAfter(), 1, 1000), n.duration("lock-duration", d.lockDuration()),
                (int) n.number("max-tracked", d.maxTracked(), 100, 10_000_000)), "admission");
    }

    private Role role(String name, ConfigNode n) {
        n.allowOnly(Set.of("max-session-length", "idle-timeout", "heartbeat-timeout", "remediation", "host-checker"));
        SessionOptions d = SessionOptions.DEFAULTS;
        SessionOptions options = new SessionOptions(n.duration("max-session-length", d.maxSessionLength()),
                n.duration("idle-timeout", d.idleTimeout()), n.duration("heartbeat-timeout", d.heartbeatTimeout()),
                n.bool("remediation", false));
        return wrap(() -> new Role(name, options, n.texts("host-checker")), n.path());
    }

    private RealmBinding realm(ConfigNode n) {
        n.allowOnly(Set.of("name", "auth-server", "auth-group", "role-mapping", "host-checker", "attributes",
                "directory-attributes", "remediation-role", "max-sessions-per-user", "session-limit-policy"));
        ConfigNode server = n.get("auth-server");
        AuthServerKind kind = server.value("kind", AuthServerKind::parse, null);
        Function<ConfigNode, Authenticator> factory = servers.get(kind);
        List<RoleMappingRule> rules = n.list("role-mapping").stream().map(r -> {
            r.allowOnly(Set.of("when", "roles", "stop"));
            return wrap(() -> new RoleMappingRule(r.texts("when").stream().map(RoleMappingRule.Condition::parse).toList(),
                    r.texts("roles"), r.bool("stop", false)), r.path());
        }).toList();
        Realm.AttributeMode mode = n.value("attributes", v -> Realm.AttributeMode.valueOf(v.toUpperCase(java.util.Locale.ROOT)), Realm.AttributeMode.IMPORTED);
        Realm realm = wrap(() -> new Realm(n.text("name"), kind, n.optionalText("auth-group").map(AuthGroup::new).orElse(null), rules,
                n.texts("host-checker"), mode, n.bool("directory-attributes", false), n.optionalText("remediation-role").orElse(null)), n.path());
        SessionLimit limit = wrap(() -> new SessionLimit((int) n.number("max-sessions-per-user", 0, 0, 1_000_000),
                n.value("session-limit-policy", SessionLimit.Policy::parse, SessionLimit.Policy.DENY_NEW)), n.path());
        return new RealmBinding(realm, wrap(() -> factory.apply(server), server.path()), limit);
    }

    private static Authenticator localAccounts(ConfigNode server) {
        server.allowOnly(Set.of("kind", "accounts"));
        LocalAccounts accounts = new LocalAccounts();
        for (ConfigNode a : server.list("accounts")) {
            a.allowOnly(Set.of("username", "password-hash", "password", "attributes"));
            String user = a.text("username");
            if (a.has("password-hash")) {
                wrap(() -> accounts.addHashed(user, a.text("password-hash"), a.attributes("attributes")), a.path());
            } else {
                accounts.add(user, a.text("password").toCharArray(), a.attributes("attributes"));
            }
        }
        return accounts;
    }

    private static Optional<GatewaySettings.Tls> tls(ConfigNode n) {
        if (!n.has("keystore")) {
            n.allowOnly(Set.of());
            return Optional.empty();
        }
        n.allowOnly(Set.of("keystore", "password"));
        return Optional.of(new GatewaySettings.Tls(Path.of(n.text("keystore")), n.text("password")));
    }

    private static Optional<GatewaySettings.Admin> admin(ConfigNode n) {
        if (n.missing()) {
            return Optional.empty();
        }
        n.allowOnly(Set.of("listen", "operators", "audit-dir"));
        return Optional.of(new GatewaySettings.Admin(address(n.optionalText("listen").orElse("127.0.0.1:9444"), n.path() + ".listen"),
                Path.of(n.text("operators")), n.path("audit-dir")));
    }

    /** The federation section; its {@code user} defaults to the gateway's name, as its publisher id. */
    private static GatewaySettings.Federation federation(ConfigNode n, String gateway) {
        n.allowOnly(Set.of("url", "user", "password", "trust-all", "truststore", "poll-coalesce-ms"));
        String url = n.optionalText("url").orElse("https://127.0.0.1:8443");
        if (!url.startsWith("https://")) {
            throw n.error("url", "must be an https:// URL, got '" + url + "'");
        }
        Duration pollCoalesce = Duration.ofMillis(n.number("poll-coalesce-ms",
                FederationClientConfig.DEFAULT_POLL_COALESCE.toMillis(), 0, FederationClientConfig.MAX_POLL_COALESCE.toMillis()));
        return new GatewaySettings.Federation(url, n.optionalText("user").filter(u -> !u.isBlank()).orElse(gateway), n.optionalText("password").orElse(""),
                n.bool("trust-all", false), n.optionalText("truststore").map(Path::of), pollCoalesce);
    }

    static InetSocketAddress address(String text, String key) {
        int colon = text.lastIndexOf(':');
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (colon <= 0 || port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(text.substring(0, colon), port);
        } catch (RuntimeException e) {
            throw new BatonException(ResultCode.CONFIGURATION, key + ": '" + text + "' must be HOST:PORT");
        }
    }

    private static <T> T wrap(java.util.function.Supplier<T> build, String where) {
        try {
            return build.get();
        } catch (BatonException e) {
            if (e.getMessage().startsWith(where) || where.isEmpty()) {
                throw e;
            }
            throw new BatonException(e.code(), where + ": " + e.getMessage(), e);
        }
    }
}
