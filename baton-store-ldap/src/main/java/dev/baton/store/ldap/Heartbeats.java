package dev.baton.store.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.util.StaticUtils;

import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The purge nodes' heartbeat entries: {@code cn=NODE,<heartbeat base>} of class {@code batonPurgeNode}, with
 * the task name, the node's priority index and the time of its last heartbeat. Thread-safe.
 */
final class Heartbeats {
    private static final String CLASS = "batonPurgeNode";
    private static final String TASK = "batonPurgeTask";
    private static final String PRIORITY = "batonPurgePriority";
    private static final String TIME = "batonHeartbeatTime";

    private final LDAPConnectionPool pool;
    private final DN base;
    private final String task;
    private final String node;
    private final int priority;

    Heartbeats(LDAPConnectionPool pool, DN base, String task, String node, int priority) {
        this.pool = pool;
        this.base = base;
        this.task = task;
        this.node = node;
        this.priority = priority;
    }

    void ensureBase() {
        Containers.ensureExists(pool, base);
    }

    /** Writes this node's heartbeat as of {@code now}, creating its entry on the first beat. */
    void beat(Instant now) {
        String dn = ownDn().toString();
        String time = SessionEntries.time(now);
        try {
            pool.modify(dn, new Modification(ModificationType.REPLACE, TIME, time),
                    new Modification(ModificationType.REPLACE, PRIORITY, Integer.toString(priority)),
                    new Modification(ModificationType.REPLACE, TASK, task));
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw LdapFailures.translate("writing heartbeat of " + node, e);
            }
            add(dn, time);
        }
    }

    private void add(String dn, String time) {
        Entry entry = new Entry(dn);
        entry.addAttribute("objectClass", "top", CLASS);
        entry.addAttribute("cn", node);
        entry.addAttribute(TASK, task);
        entry.addAttribute(PRIORITY, Integer.toString(priority));
        entry.addAttribute(TIME, time);
        try {
            pool.add(entry);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw LdapFailures.translate("creating heartbeat entry " + dn, e);
            }
            ensureBase(); // the first heartbeat of the first node creates the container
            try {
                pool.add(entry);
            } catch (LDAPException again) {
                throw LdapFailures.translate("creating heartbeat entry " + dn, again);
            }
        }
    }

    /** Every heartbeat of this task, this node's included. */
    List<PurgeElection.Heartbeat> all() {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", CLASS),
                Filter.createEqualityFilter(TASK, task));
        try {
            SearchResult result = pool.search(base.toString(), SearchScope.ONE, filter, "cn", PRIORITY, TIME);
            List<PurgeElection.Heartbeat> beats = new ArrayList<>();
            for (SearchResultEntry e : result.getSearchEntries()) {
                beats.add(new PurgeElection.Heartbeat(e.getAttributeValue("cn"),
                        e.getAttributeValueAsInteger(PRIORITY), parseTime(e.getAttributeValue(TIME))));
            }
            return beats;
        } catch (LDAPException e) {
            throw LdapFailures.translate("reading heartbeats of task " + task, e);
        }
    }

    /** Removes this node's entry, so a standby takes over at its next poll instead of after the window. */
    void retire() {
        try {
            pool.delete(ownDn().toString());
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw LdapFailures.translate("removing heartbeat of " + node, e);
            }
        }
    }

    private DN ownDn() {
        return new DN(new RDN("cn", node), base);
    }

    private static Instant parseTime(String value) {
        try {
            return StaticUtils.decodeGeneralizedTime(value).toInstant();
        } catch (ParseException | RuntimeException e) {
            return Instant.EPOCH; // an unreadable heartbeat counts as dead
        }
    }
}
