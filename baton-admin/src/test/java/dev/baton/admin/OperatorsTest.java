package dev.baton.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.core.Argon2id;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorsTest {
    @TempDir
    Path dir;

    private Path file(String yaml, String perms) throws Exception {
        Path f = dir.resolve("operators.yaml");
        Files.writeString(f, yaml);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    @Test
    void readsRolesHashesAndCertificateNames() throws Exception {
        String hash = Argon2id.hash("pw".toCharArray(), 1024, 1);
        Operators ops = Operators.read(file("operators:\n  ops:\n    role: admin\n    password-hash: \"" + hash + "\"\n"
                + "  monitor:\n    role: auditor\n    certificate-cn: monitor-cert\n", "rw-------"));
        assertThat(ops.authenticate("ops", "pw".toCharArray())).contains(new Operator("ops", OperatorRole.ADMIN));
        assertThat(ops.authenticate("ops", "wrong".toCharArray())).isEmpty();
        assertThat(ops.authenticate("monitor", "pw".toCharArray())).isEmpty();
        assertThat(ops.byCertificate("monitor-cert")).contains(new Operator("monitor", OperatorRole.AUDITOR));
        assertThat(ops.byCertificate("ops")).isEmpty();
    }

    @Test
    void aPasswordOverItsBoundOrAnUnknownNameGetsNothing() {
        Operators ops = Operators.of(java.util.Map.of("ops", new Operator("ops", OperatorRole.ADMIN)),
                java.util.Map.of("ops", Argon2id.hash("pw".toCharArray(), 1024, 1)));
        assertThat(ops.authenticate("ops", "x".repeat(1025).toCharArray())).isEmpty();
        assertThat(ops.authenticate("nobody", "pw".toCharArray())).isEmpty();
        assertThat(ops.authenticate(null, "pw".toCharArray())).isEmpty();
        assertThat(ops.authenticate("ops", new char[0])).isEmpty();
    }

    @Test
    void aFileOthersCanReadIsRefused() throws Exception {
        Path f = file("operators:\n  ops:\n    role: admin\n    certificate-cn: x\n", "rw-r--r--");
        assertThatThrownBy(() -> Operators.read(f)).hasMessageContaining("readable by its owner only (chmod 600");
    }

    @Test
    void mistakesAreNamedByTheirKey() throws Exception {
        assertThatThrownBy(() -> Operators.read(file("operators:\n  ops:\n    role: root\n    certificate-cn: x\n", "rw-------")))
                .hasMessageContaining("operators.ops.role: must be admin or auditor");
        assertThatThrownBy(() -> Operators.read(file("operators:\n  ops:\n    role: admin\n    pasword-hash: x\n", "rw-------")))
                .hasMessageContaining("operators.ops.pasword-hash: unknown key");
        assertThatThrownBy(() -> Operators.read(file("operators:\n  ops:\n    role: admin\n    password-hash: plain\n", "rw-------")))
                .hasMessageContaining("operators.ops.password-hash: must be an Argon2id PHC string");
        assertThatThrownBy(() -> Operators.read(file("operators:\n  ops:\n    role: admin\n", "rw-------")))
                .hasMessageContaining("operators.ops: needs password-hash");
        assertThatThrownBy(() -> Operators.read(file("operators:\n  \"bad name\":\n    role: admin\n", "rw-------")))
                .hasMessageContaining("an operator name is 1 to 64");
    }

    @Test
    void anAdminMayDoWhatAnAuditorMayButNotTheOtherWayRound() {
        assertThat(OperatorRole.ADMIN.includes(OperatorRole.AUDITOR)).isTrue();
        assertThat(OperatorRole.AUDITOR.includes(OperatorRole.ADMIN)).isFalse();
    }
}
