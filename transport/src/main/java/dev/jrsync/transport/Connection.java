package dev.jrsync.transport;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One TCP connection seen as a pair of blocking streams, so that the rsync engine can run on it as on a pipe.
 * Each stream is used by one thread at a time (a reader and a writer may run concurrently); {@link #close()} and
 * {@link #setReadTimeout} are thread-safe. Blocking calls park the calling (virtual) thread and throw
 * {@link IllegalStateException} on a Netty event-loop thread.
 */
public interface Connection extends dev.jrsync.protocol.wire.Duplex {

    /**
     * Bytes from the peer. {@code read} blocks until data, peer EOF (-1, once everything buffered has been
     * consumed), an error, or the read timeout; after a local {@link #close()} it throws IOException "closed".
     * Closing this stream only stops reading; it leaves the connection open.
     */
    InputStream input();

    /**
     * Bytes to the peer, buffered: they leave on {@code flush()} or when the buffer fills, and a writer parks while
     * the socket is congested. Closing this stream flushes and half-closes the connection (the peer reads EOF).
     */
    OutputStream output();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();

    /**
     * rsync's {@code --timeout}: a read (or a writer parked on a congested socket) that sees no progress for this
     * long fails with exit code 30. {@link Duration#ZERO} disables it; takes effect on the next wait.
     */
    void setReadTimeout(Duration timeout);

    /**
     * Closes both directions without blocking. Bytes already flushed still reach the peer (within a bounded
     * linger); bytes still in the output buffer are discarded, so flush first. Idempotent.
     */
    @Override
    void close();

    /**
     * Drops the connection abortively (a TCP reset), discarding anything unread or unsent, as a process that
     * exits with unread input does: rsyncd ends a refused connection this way and its clients report the reset.
     * Flush and give what was flushed time to leave first. Idempotent.
     */
    default void reset() {
        close();
    }
}
