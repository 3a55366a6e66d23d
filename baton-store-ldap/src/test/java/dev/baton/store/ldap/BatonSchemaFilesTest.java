package dev.baton.store.ldap;

import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.ObjectClassDefinition;
import com.unboundid.ldap.sdk.schema.Schema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The three shipped schema files (slapd.conf, cn=config, RFC 4512) define the same things. */
class BatonSchemaFilesTest {
    private static final Pattern NAME = Pattern.compile("NAME '([A-Za-z]+)'");

    private static String resource(String name) throws IOException {
        try (InputStream in = BatonSchemaFilesTest.class.getResourceAsStream("/dev/baton/store/ldap/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(text.replace("\n ", "")); // LDIF continuation lines
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void theStandardSchemaParsesAndHasEveryAttributeTheStoreWrites() throws Exception {
        Schema schema = LdapStoreTesting.batonSchema();
        Set<String> attributes = schema.getAttributeTypes().stream().map(AttributeTypeDefinition::getNameOrOID).collect(Collectors.toSet());
        Set<String> classes = schema.getObjectClasses().stream().map(ObjectClassDefinition::getNameOrOID).collect(Collectors.toSet());

        assertThat(attributes).contains(SessionEntries.HASH, SessionEntries.USER, SessionEntries.REALM, SessionEntries.AUTH_GROUP,
                SessionEntries.OWNER, SessionEntries.START, SessionEntries.LAST_ACTIVITY, SessionEntries.EXPIRY, SessionEntries.DATA,
                "batonPurgeTask", "batonPurgePriority", "batonHeartbeatTime");
        assertThat(classes).containsExactlyInAnyOrder(SessionEntries.OBJECT_CLASS, "batonPurgeNode");
        assertThat(schema.getAttributeType(SessionEntries.EXPIRY).getOrderingMatchingRule()).isEqualTo("generalizedTimeOrderingMatch");
        assertThat(schema.getAttributeType(SessionEntries.HASH).getOID()).startsWith("1.3.6.1.4.1.32473.1.1.");
    }

    @Test
    void slapdConfAndCnConfigFilesDefineTheSameNames() throws Exception {
        Set<String> standard = names(resource("baton-rfc4512.ldif"));

        assertThat(standard).hasSize(14);
        assertThat(names(resource("baton.schema"))).isEqualTo(standard);
        assertThat(names(resource("baton.ldif"))).isEqualTo(standard);
    }

    @Test
    void everyFileTellsTheReaderToReplaceTheDocumentationArc() throws Exception {
        for (String file : new String[]{"baton.schema", "baton.ldif", "baton-rfc4512.ldif"}) {
            assertThat(resource(file)).as(file).contains("1.3.6.1.4.1.32473").contains("REPLACE");
        }
    }
}
