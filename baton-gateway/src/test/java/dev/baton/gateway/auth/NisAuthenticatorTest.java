package dev.baton.gateway.auth;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * NIS sign-in over passwd/group maps as {@code ypcat} prints them. The hashes were made independently of
 * the library under test: {@code openssl passwd -6 -salt saltsalt wonderland}, {@code openssl passwd -5
 * -salt pepper42 can-we-fix-it}, {@code openssl passwd -1 -salt md5salt oldstyle}, and Python's
 * {@code crypt.crypt('tokens', '$6$rounds=10000$roundsalt$')}.
 */
class NisAuthenticatorTest extends PasswordAuthenticatorContract {
    static final String ALICE = "alice:$6$saltsalt$pqxtaP8VN9msji06dnBCbUbaSGTOXyo9jZDqZxik1rPexoqRIW4UKuiD0ZHZchCSd7S4/HoRU8bcFbnz2ihUr.:1001:100:Alice Liddell,,,:/home/alice:/bin/bash";
    static final String BOB = "bob:$5$pepper42$ejFSeNdCmXMC0iqTJu62oXu7DrXtRc/HnvqFOWCvDZD:1002:1002:Bob:/home/bob:/bin/sh";
    static final String CAROL = "carol:$6$rounds=10000$roundsalt$oMWONU0xFEtf3M8ZoXFsE7xDrpnnV2lgS1SsCFOzyPEuYVD1Cp8pPq60ULUPR32KEQxpFtT7qm.Z4rWs0vDA6.:1003:100:Carol:/home/carol:/bin/sh";
    static final String OLD = "old:$1$md5salt$tCJGtNbjNh.9z6eNAOXlA1:1004:100:Old:/home/old:/bin/sh";
    static final String LOCKED = "locked:!$6$saltsalt$pqxtaP8VN9msji06dnBCbUbaSGTOXyo9jZDqZxik1rPexoqRIW4UKuiD0ZHZchCSd7S4/HoRU8bcFbnz2ihUr.:1005:100::/:/bin/false";
    static final String SHADOWED = "shadowed:x:1006:100::/:/bin/sh";
    static final String EMPTY = "nopass::1007:100::/:/bin/sh";

    @TempDir
    Path dir;

    @Override
    dev.baton.gateway.Authenticator server() {
        try {
            return fromFiles(ALICE, BOB);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    String knownUser() {
        return "bob";
    }

    @Override
    String rightPassword() {
        return "can-we-fix-it";
    }

    private NisAuthenticator fromFiles(String... passwdLines) throws IOException {
        Path passwd = Files.write(dir.resolve("passwd.map"), List.of(passwdLines));
        Path group = Files.write(dir.resolve("group.map"), List.of("users:*:100:", "ops:*:2000:bob,alice", "bob:*:1002:"));
        return NisAuthenticator.fromFiles(new NisConfig(passwd, group));
    }

    @Test
    void sha512AndSha256CryptHashesVerify() throws IOException {
        NisAuthenticator nis = fromFiles(ALICE, BOB, CAROL);
        assertThat(nis.authenticate("alice", "wonderland".toCharArray())).isPresent();
        assertThat(nis.authenticate("bob", "can-we-fix-it".toCharArray())).isPresent();
        assertThat(nis.authenticate("carol", "tokens".toCharArray())).as("explicit rounds=").isPresent();
    }

    @Test
    void wrongPasswordsAndUnknownUsersAreRefused() throws IOException {
        NisAuthenticator nis = fromFiles(ALICE, BOB);
        assertThat(nis.authenticate("alice", "wonderlanD".toCharArray())).isEmpty();
        assertThat(nis.authenticate("alice", new char[0])).isEmpty();
        assertThat(nis.authenticate("dave", "wonderland".toCharArray())).isEmpty();
    }

    @Test
    void lockedShadowedEmptyAndUnsupportedHashesNeverSignIn() throws IOException {
        NisAuthenticator nis = fromFiles(OLD, LOCKED, SHADOWED, EMPTY);
        assertThat(nis.authenticate("old", "oldstyle".toCharArray())).as("MD5 crypt is not accepted").isEmpty();
        assertThat(nis.authenticate("locked", "wonderland".toCharArray())).isEmpty();
        assertThat(nis.authenticate("shadowed", "x".toCharArray())).isEmpty();
        assertThat(nis.authenticate("nopass", "anything".toCharArray())).isEmpty();
    }

    @Test
    void entriesCarryPasswdFieldsAndGroupsButNoHash() throws IOException {
        NisAuthenticator nis = fromFiles(ALICE, BOB);
        assertThat(nis.authenticate("bob", "can-we-fix-it".toCharArray())).get().satisfies(e -> {
            assertThat(e.name()).isEqualTo("bob");
            assertThat(e.attributes()).containsEntry("uid", List.of("1002")).containsEntry("gecos", List.of("Bob"))
                    .containsEntry("groups", List.of("ops", "bob"));
            assertThat(e.attributes().values()).flatMap(v -> v).noneMatch(v -> v.startsWith("$5$"));
        });
        assertThat(nis.find("alice")).get().extracting(e -> e.attributes().get("groups")).isEqualTo(List.of("users", "ops"));
    }

    @Test
    void inboundLookUpFindsOnlyUsersInThePasswdMap() throws IOException {
        NisAuthenticator nis = fromFiles(ALICE);
        assertThat(nis.find("alice")).isPresent();
        assertThat(nis.find("bob")).isEmpty();
    }

    @Test
    void aReplacedMapFileIsReadAgain() throws IOException {
        NisAuthenticator nis = fromFiles(ALICE);
        assertThat(nis.find("bob")).isEmpty();
        Path passwd = dir.resolve("passwd.map");
        Files.write(passwd, List.of(ALICE, BOB));
        // Make sure the change is visible even on file systems with coarse timestamps.
        Files.setLastModifiedTime(passwd, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(nis.authenticate("bob", "can-we-fix-it".toCharArray())).isPresent();
    }

    @Test
    void malformedLinesAreSkippedAndTheRestStillWork() throws IOException {
        NisAuthenticator nis = fromFiles("garbage line", "x:y:notanumber:1:::", ALICE);
        assertThat(nis.authenticate("alice", "wonderland".toCharArray())).isPresent();
    }

    @Test
    void aMissingMapFileIsUnavailable() throws IOException {
        NisAuthenticator nis = fromFiles(ALICE);
        Files.delete(dir.resolve("passwd.map"));
        assertThatThrownBy(() -> nis.find("alice"))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.code()).isEqualTo(ResultCode.UNAVAILABLE));
    }

    @Test
    void aTestCanFeedTheMapsDirectly() {
        NisMaps.PasswdEntry alice = NisMaps.PasswdEntry.parse(ALICE);
        NisMaps fed = new NisMaps() {
            @Override
            public Optional<PasswdEntry> passwd(String username) {
                return username.equals("alice") ? Optional.of(alice) : Optional.empty();
            }

            @Override
            public List<String> groupsOf(PasswdEntry user) {
                return List.of("fed");
            }
        };
        assertThat(new NisAuthenticator(fed).authenticate("alice", "wonderland".toCharArray())).get()
                .extracting(e -> e.attributes().get("groups")).isEqualTo(List.of("fed"));
    }

    @Test
    void configurationNamesTheKeyOfAMissingFile() {
        assertThatThrownBy(() -> new NisConfig(dir.resolve("nope"), null)).hasMessageStartingWith("nis.passwdMap:");
        assertThatThrownBy(() -> new NisConfig(null, null)).hasMessageStartingWith("nis.passwdMap:");
    }

    @Test
    void parsedEntriesNeverPrintTheirHash() {
        assertThat(NisMaps.PasswdEntry.parse(ALICE).toString()).doesNotContain("$6$");
        assertThat(Map.of("e", NisMaps.PasswdEntry.parse(BOB)).toString()).doesNotContain("pepper42");
    }
}
