package dev.baton.admin;

/** What an operator may do on an admin listener. */
public enum OperatorRole {
    /** Reads everything an admin reads; changes nothing. */
    AUDITOR,
    /** Reads, revokes sessions, runs a cleanup. */
    ADMIN;

    /** Whether this role includes {@code needed}: an admin may do what an auditor may. */
    public boolean includes(OperatorRole needed) {
        return this.ordinal() >= needed.ordinal();
    }

    /** The name used in the operators file and in audit events. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
