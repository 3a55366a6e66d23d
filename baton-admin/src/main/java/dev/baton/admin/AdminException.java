package dev.baton.admin;

/** An admin call that fails with an HTTP status and a message the operator can act on. */
public final class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public AdminException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static AdminException badRequest(String message) {
        return new AdminException(400, message);
    }

    public static AdminException forbidden(String message) {
        return new AdminException(403, message);
    }

    public static AdminException notFound(String message) {
        return new AdminException(404, message);
    }
}
