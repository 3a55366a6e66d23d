package dev.baton.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionIdTest {

    @Property(tries = 50)
    void generatedIdsAreDistinct(@ForAll @IntRange(min = 2, max = 2_000) int count) {
        Set<SessionId> ids = new HashSet<>();
        Set<SessionIdHash> hashes = new HashSet<>();
        for (int i = 0; i < count; i++) {
            SessionId id = SessionId.generate();
            ids.add(id);
            hashes.add(id.hash());
        }
        assertThat(ids).hasSize(count);
        assertThat(hashes).hasSize(count);
    }

    @Property(tries = 200)
    void idHas256BitsAnd43Base64UrlCharacters(@ForAll("ids") SessionId id) {
        assertThat(id.bytes()).hasSize(32);
        assertThat(id.reveal()).hasSize(43).matches("[A-Za-z0-9_-]{43}");
    }

    @Property(tries = 200)
    void hashIsStableAcrossParsingAndIsSha256OfTheBytes(@ForAll("ids") SessionId id) throws Exception {
        SessionId reparsed = SessionId.parse(id.reveal());
        assertThat(reparsed).isEqualTo(id);
        assertThat(reparsed.hash()).isEqualTo(id.hash());
        assertThat(SessionId.hashOf(id.reveal())).isEqualTo(id.hash());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.bytes());
        assertThat(id.hash().hex()).isEqualTo(HexFormat.of().formatHex(digest));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<SessionId> ids() {
        return net.jqwik.api.Arbitraries.just(0).map(x -> SessionId.generate());
    }

    @Test
    void toStringNeverContainsTheWholeId() {
        SessionId id = SessionId.generate();
        assertThat(id.toString()).doesNotContain(id.reveal()).contains(id.hash().abbreviated());
    }

    @Test
    void malformedIdsAreRefusedWithAReadableReason() {
        assertThatThrownBy(() -> SessionId.parse("short"))
                .isInstanceOf(BatonException.class)
                .hasMessageContaining("43 base64url characters, got 5")
                .extracting(e -> ((BatonException) e).code()).isEqualTo(ResultCode.INVALID_REQUEST);
        assertThatThrownBy(() -> SessionId.parse("*".repeat(43))).hasMessageContaining("not valid base64url");
        assertThatThrownBy(() -> SessionId.parse(null)).hasMessageContaining("got none");
    }

    @Test
    void hashParsingAcceptsOnly64HexDigits() {
        SessionIdHash h = SessionId.generate().hash();
        assertThat(SessionIdHash.parse(h.hex().toUpperCase())).isEqualTo(h);
        assertThatThrownBy(() -> SessionIdHash.parse("abc")).hasMessageContaining("64 lower-case hex digits");
    }
}
