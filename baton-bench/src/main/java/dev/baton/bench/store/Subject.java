package dev.baton.bench.store;

/**
 * One session store under test. Operations address session {@code i} of worker {@code thread}; each worker
 * only touches its own sessions, so the stores see no artificial contention on one row.
 */
interface Subject extends AutoCloseable {
    /** The name printed in results: {@code baton} or {@code spring_session}. */
    String name();

    /** Signs a session in (durably stored when this returns). */
    void create(int thread, int i);

    /** Looks a session up as a request would. */
    void read(int thread, int i);

    /** One request's worth of session handling: look-up plus last-activity update. */
    void touch(int thread, int i);

    /** Signs a session out (durably removed when this returns). */
    void delete(int thread, int i);

    /** Waits until every write this subject deferred is stored (a no-op for write-through stores). */
    default void settle() {
    }

    @Override
    void close();
}
