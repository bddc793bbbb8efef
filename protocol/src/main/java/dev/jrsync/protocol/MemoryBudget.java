package dev.jrsync.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte budget for what a peer makes us hold in memory (file-list entries). A session's budget
 * plays the role of rsync's --max-alloc; a daemon gives all sessions one shared parent, so that
 * several hostile clients together cannot exhaust the heap the other connections need.
 * Thread-safe and non-blocking. {@link #close()} returns what this budget holds to its parent.
 */
public final class MemoryBudget implements AutoCloseable {
    /** rsync's DEFAULT_MAX_ALLOC: 1 GiB. */
    public static final long DEFAULT_SESSION_LIMIT = 1L << 30;

    private final String name;
    private final long limit;
    private final MemoryBudget parent;
    private final AtomicLong used = new AtomicLong();

    /**
     * @param name   what the limit is called in the error message, e.g. "--max-alloc=1073741824"
     * @param limit  bytes this budget may hold (> 0)
     * @param parent a budget charged as well, or null
     */
    public MemoryBudget(String name, long limit, MemoryBudget parent) {
        if (limit <= 0) {
            throw new IllegalArgumentException("memory limit: " + limit + " (expected: > 0)");
        }
        this.name = name;
        this.limit = limit;
        this.parent = parent;
    }

    /** A session budget of rsync's default size with no parent. */
    public static MemoryBudget sessionDefault() {
        return new MemoryBudget("--max-alloc=" + DEFAULT_SESSION_LIMIT, DEFAULT_SESSION_LIMIT, null);
    }

    /**
     * Charges {@code bytes}, here and in the parent.
     *
     * @throws RsyncException exit 22 (RERR_MALLOC) when this budget or an ancestor would exceed its
     *                        limit; nothing is charged then
     */
    public void reserve(long bytes) throws RsyncException {
        long now = used.addAndGet(bytes);
        if (now > limit) {
            used.addAndGet(-bytes);
            throw new RsyncException(ExitCode.RERR_MALLOC, "exceeded " + name + " setting (" + now
                    + " bytes wanted, limit " + limit + ")");
        }
        if (parent != null) {
            try {
                parent.reserve(bytes);
            } catch (RsyncException e) {
                used.addAndGet(-bytes);
                throw e;
            }
        }
    }

    /** Bytes currently charged to this budget. */
    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }

    /** Returns everything this budget holds to the parent; the budget is empty afterwards. */
    @Override
    public void close() {
        long held = used.getAndSet(0);
        if (parent != null && held != 0) {
            parent.used.addAndGet(-held);
            parent.releaseUpward(held);
        }
    }

    private void releaseUpward(long bytes) {
        if (parent != null) {
            parent.used.addAndGet(-bytes);
            parent.releaseUpward(bytes);
        }
    }
}
