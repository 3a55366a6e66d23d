package dev.baton.gateway.auth;

import dev.baton.core.AuthServerKind;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.gateway.Authenticator;
import org.aaa4j.radius.client.IntervalRetransmissionStrategy;
import org.aaa4j.radius.client.RadiusClient;
import org.aaa4j.radius.client.RadiusClientException;
import org.aaa4j.radius.client.clients.UdpRadiusClient;
import org.aaa4j.radius.core.attribute.StringData;
import org.aaa4j.radius.core.attribute.TextData;
import org.aaa4j.radius.core.attribute.attributes.MessageAuthenticator;
import org.aaa4j.radius.core.attribute.attributes.NasIdentifier;
import org.aaa4j.radius.core.attribute.attributes.UserName;
import org.aaa4j.radius.core.attribute.attributes.UserPassword;
import org.aaa4j.radius.core.packet.Packet;
import org.aaa4j.radius.core.packet.packets.AccessAccept;
import org.aaa4j.radius.core.packet.packets.AccessChallenge;
import org.aaa4j.radius.core.packet.packets.AccessRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A RADIUS server behind a realm, and RSA ACE/SecurID through its RADIUS interface (the ACE server, or
 * Authentication Manager, answers RADIUS with the passcode as the password). Uses the aaa4j RADIUS client
 * over UDP with PAP (User-Password hidden with the shared secret, RFC 2865 5.2) and a Message-Authenticator
 * (RFC 3579 3.2, which servers hardened against the 2024 "BlastRADIUS" forgery require).
 *
 * <p>Servers are tried in order; the next one is asked only when one does not answer at all, never after a
 * reject. An Access-Challenge (ACE's "next tokencode" or new-PIN mode) cannot be answered through a
 * password sign-in and counts as a refusal.
 *
 * <p>RADIUS has no look-up without a password, so {@link #find} answers an entry with the username and no
 * attributes (see {@link AuthServerKind#RADIUS}: inbound sessions are accepted without asking, and yield no
 * attributes). Thread-safe: each request uses its own socket.
 */
public final class RadiusAuthenticator implements Authenticator, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RadiusAuthenticator.class);
    /** RFC 2865 5.2: User-Password is at most 128 octets. */
    private static final int MAX_PASSWORD_BYTES = 128;

    private final RadiusConfig config;
    private final AuthServerKind kind;
    private final List<Server> servers;

    private record Server(String address, RadiusClient client) {
    }

    /**
     * Creates the clients; nothing is sent until the first sign-in.
     *
     * @param kind {@link AuthServerKind#RADIUS} or {@link AuthServerKind#ACE}, used in messages and logs
     */
    public RadiusAuthenticator(RadiusConfig config, AuthServerKind kind) {
        ConfigCheck.require(kind == AuthServerKind.RADIUS || kind == AuthServerKind.ACE, "kind",
                "a RADIUS authenticator serves RADIUS or ACE realms, not " + kind.displayName());
        this.config = config;
        this.kind = kind;
        byte[] secret = config.secret().getBytes(StandardCharsets.UTF_8);
        this.servers = config.servers().stream().map(s -> ConfigCheck.hostPort(s, 1812, "radius.servers"))
                .map(hp -> new Server(hp.toString(), UdpRadiusClient.newBuilder()
                        .address(new InetSocketAddress(hp.host(), hp.port()))
                        .secret(secret)
                        .retransmissionStrategy(new IntervalRetransmissionStrategy(config.retries() + 1, config.timeout()))
                        .build()))
                .toList();
        LOG.info("{} authentication server configured: {}", kind.displayName(), config);
    }

    @Override
    public Optional<Entry> authenticate(String username, char[] password) {
        if (username == null || username.isBlank() || password == null || password.length == 0) {
            return Optional.empty();
        }
        byte[] secret = Passwords.utf8(password);
        try {
            if (secret.length > MAX_PASSWORD_BYTES) {
                return Optional.empty();
            }
            Packet response = send(new AccessRequest(List.of(new UserName(new TextData(username)),
                    new UserPassword(new StringData(secret)), new NasIdentifier(new TextData(config.nasIdentifier())),
                    new MessageAuthenticator())));
            if (response.getCode() == AccessChallenge.CODE) {
                LOG.info("{} server challenged {} (next tokencode or new PIN?); a password sign-in cannot answer it",
                        kind.displayName(), username);
            }
            return response.getCode() == AccessAccept.CODE ? Optional.of(new Entry(username, Map.of())) : Optional.empty();
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** An entry with the username and no attributes, without asking the server (RADIUS cannot look users up). */
    @Override
    public Optional<Entry> find(String username) {
        return username == null || username.isBlank() ? Optional.empty() : Optional.of(new Entry(username, Map.of()));
    }

    @Override
    public void close() {
        servers.forEach(s -> s.client().close());
    }

    private Packet send(Packet request) {
        RadiusClientException last = null;
        for (Server server : servers) {
            try {
                return server.client().send(request);
            } catch (RadiusClientException e) {
                LOG.warn("{} server {} did not answer: {}", kind.displayName(), server.address(), e.getMessage());
                last = e;
            }
        }
        // The servers go to the gateway's log only: the agent, not signed in yet, is told no addresses.
        LOG.warn("no {} server answered (tried {}, {} attempt(s) of {} ms each)", kind.displayName(),
                servers.stream().map(Server::address).toList(), config.retries() + 1, config.timeout().toMillis());
        throw new BatonException(ResultCode.UNAVAILABLE, UNAVAILABLE_REASON, last);
    }
}
