package dev.jrsync.protocol.wire;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Both directions of one rsync connection as plain blocking streams: a TCP socket, the pipes of a
 * remote-shell child process, or the in-memory pipes of a local copy. Each stream is used by one
 * thread at a time (a reader and a writer may run concurrently); {@link #close()} is thread-safe and
 * unblocks both, which is how the first failing role stops the other.
 */
public interface Duplex extends Closeable {
    /** Bytes from the peer; -1 at the peer's end of stream. */
    InputStream input();

    /** Bytes to the peer; they leave on {@code flush()}. */
    OutputStream output();

    /** Closes both directions without blocking; idempotent, never fails. */
    @Override
    void close();

    /** Drops the connection abortively where the medium allows it (a TCP reset); otherwise {@link #close()}. */
    default void reset() {
        close();
    }
}
