package dev.baton.store;

import dev.baton.testing.ManualClock;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JSON form of sessions and AES-GCM sealing of their attributes. */
class SessionCodecTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private final ManualClock clock = new ManualClock();
    private final StoredSession s = TestSessions.session("alice", "gw-a", clock.instant(), Duration.ofMinutes(30));

    @Test
    void plainDocumentRoundTripsAndHoldsNoRawId() {
        String json = SessionCodec.plain().encode(s);
        assertThat(SessionCodec.plain().decode(json)).isEqualTo(s);
        assertThat(json).contains("\"department\"").contains(s.session().hash().hex());
    }

    @Test
    void sessionsReadBackShareTheNamesTheyRepeatAndTheirStartInstant() {
        StoredSession other = TestSessions.session("bob", "gw-a", clock.instant(), Duration.ofMinutes(30));
        var a = SessionCodec.plain().decode(SessionCodec.plain().encode(s)).session();
        var b = SessionCodec.plain().decode(SessionCodec.plain().encode(other)).session();
        assertThat(a.realm()).isSameAs(b.realm());
        assertThat(a.owner()).isSameAs(b.owner());
        assertThat(a.authGroup()).isSameAs(b.authGroup());
        assertThat(a.roles().iterator().next()).isSameAs(b.roles().iterator().next());
        assertThat(a.attributes().keySet().iterator().next()).isSameAs(b.attributes().keySet().iterator().next());
        assertThat(a.lastActivity()).as("written as the start: one instant").isSameAs(a.startTime());
        assertThat(a.user()).isEqualTo("alice");
    }

    @Test
    void sealedAttributesRoundTripAndAreNotInClear() {
        SessionCodec codec = SessionCodec.encrypting(AttributeCipher.fromBase64Key(KEY));
        String json = codec.encode(s);
        assertThat(json).doesNotContain("sales").doesNotContain("a@example.org").contains("attributesSealed");
        assertThat(codec.decode(json)).isEqualTo(s);
    }

    @Test
    void sealedAttributesWithoutTheKeyAreAConfigurationError() {
        String json = SessionCodec.encrypting(AttributeCipher.fromBase64Key(KEY)).encode(s);
        assertThatThrownBy(() -> SessionCodec.plain().decode(json)).isInstanceOf(BatonException.class)
                .hasMessageContaining("store.encryption.key")
                .satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(ResultCode.CONFIGURATION));
    }

    @Test
    void wrongKeyOrAnotherSessionsRowCannotOpenSealedAttributes() {
        AttributeCipher cipher = AttributeCipher.fromBase64Key(KEY);
        String sealed = cipher.seal(s.session().hash(), "{\"x\":[\"y\"]}");
        assertThatThrownBy(() -> AttributeCipher.fromBase64Key(OTHER_KEY).open(s.session().hash(), sealed))
                .isInstanceOf(BatonException.class).hasMessageContaining("wrong store.encryption.key");
        assertThatThrownBy(() -> cipher.open(TestSessions.newHash(), sealed)).isInstanceOf(BatonException.class);
        assertThat(cipher.open(s.session().hash(), sealed)).isEqualTo("{\"x\":[\"y\"]}");
        assertThat(cipher.seal(s.session().hash(), "same")).as("fresh nonce each time")
                .isNotEqualTo(cipher.seal(s.session().hash(), "same"));
    }

    @Test
    void malformedKeysAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> AttributeCipher.fromBase64Key("not base64!")).hasMessageContaining("store.encryption.key");
        assertThatThrownBy(() -> AttributeCipher.fromBase64Key(Base64.getEncoder().encodeToString(new byte[10])))
                .hasMessageContaining("16, 24 or 32 bytes");
    }

    @Test
    void damagedDocumentIsAnInternalError() {
        assertThatThrownBy(() -> SessionCodec.plain().decode("{\"v\":1,"))
                .isInstanceOf(BatonException.class).hasMessageContaining("damaged");
    }
}
