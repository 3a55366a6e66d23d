package dev.baton.store.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import dev.baton.core.BatonException;

/** Turns the LDAP SDK's failures into Baton's, keeping the LDAP result code in the message. */
final class LdapFailures {
    private LdapFailures() {
    }

    /**
     * {@code UNAVAILABLE} when the directory cannot be reached or is busy, {@code CONFIGURATION} when it
     * refuses what the schema or access rights should allow (wrong credentials, schema not loaded),
     * {@code INTERNAL} otherwise.
     */
    static BatonException translate(String what, LDAPException e) {
        ResultCode rc = e.getResultCode();
        String message = what + " failed: LDAP " + rc.getName() + " (" + rc.intValue() + ")"
                + (e.getDiagnosticMessage() == null ? "" : ": " + e.getDiagnosticMessage());
        return new BatonException(classify(rc), message + hint(rc) + tlsHint(e), e);
    }

    /** For a TLS failure, what TLS said (the SDK keeps it in a cause, not in the diagnostic message) and a hint. */
    private static String tlsHint(LDAPException e) {
        Throwable tls = tlsCause(e);
        return tls == null ? "" : ": " + tls.getMessage() + TLS_HINT;
    }

    private static final String TLS_HINT = " (TLS failed: is the directory's certificate, or its CA, in"
            + " store.ldap.truststore, does it name the host as written in store.ldap.servers, and does the server"
            + " speak store.ldap.tls on that port?)";

    /** Whether {@code e} comes from a failed TLS handshake or a certificate that was refused. */
    static boolean isTlsFailure(LDAPException e) {
        return tlsCause(e) != null;
    }

    private static Throwable tlsCause(LDAPException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                return t;
            }
        }
        return null;
    }

    private static dev.baton.core.ResultCode classify(ResultCode rc) {
        if (!rc.isConnectionUsable() || rc == ResultCode.BUSY || rc == ResultCode.UNAVAILABLE
                || rc == ResultCode.TIMEOUT || rc == ResultCode.TIME_LIMIT_EXCEEDED) {
            return dev.baton.core.ResultCode.UNAVAILABLE;
        }
        if (rc == ResultCode.INVALID_CREDENTIALS || rc == ResultCode.INSUFFICIENT_ACCESS_RIGHTS
                || rc == ResultCode.UNDEFINED_ATTRIBUTE_TYPE || rc == ResultCode.OBJECT_CLASS_VIOLATION
                || rc == ResultCode.INVALID_ATTRIBUTE_SYNTAX || rc == ResultCode.INAPPROPRIATE_MATCHING) {
            return dev.baton.core.ResultCode.CONFIGURATION;
        }
        return dev.baton.core.ResultCode.INTERNAL;
    }

    private static String hint(ResultCode rc) {
        if (rc == ResultCode.UNDEFINED_ATTRIBUTE_TYPE || rc == ResultCode.OBJECT_CLASS_VIOLATION) {
            return " (is the Baton schema loaded? see baton.schema / baton.ldif)";
        }
        return "";
    }
}
