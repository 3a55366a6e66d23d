package dev.baton.store.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import dev.baton.core.BatonException;

/** Creates the container entries Baton writes under (sessions, purge heartbeats) when they are missing. */
final class Containers {
    private Containers() {
    }

    /**
     * Makes sure {@code dn} exists; creates it as an {@code organizationalUnit} if its RDN is {@code ou=...}
     * and its parent exists.
     */
    static void ensureExists(LDAPConnectionPool pool, DN dn) {
        try {
            if (pool.getEntry(dn.toString(), "1.1") != null) {
                return;
            }
            RDN rdn = dn.getRDN();
            if (rdn == null || !rdn.hasAttribute("ou")) {
                throw new BatonException(dev.baton.core.ResultCode.CONFIGURATION,
                        "directory entry " + dn + " does not exist (only ou=... entries are created automatically)");
            }
            Entry entry = new Entry(dn);
            entry.addAttribute("objectClass", "top", "organizationalUnit");
            entry.addAttribute("ou", rdn.getAttributeValues()[0]);
            pool.add(entry);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
                return; // another node created it meanwhile
            }
            throw LdapFailures.translate("creating " + dn, e);
        }
    }
}
