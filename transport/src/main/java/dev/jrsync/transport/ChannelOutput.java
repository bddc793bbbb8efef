package dev.jrsync.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbound half of a {@link NettyConnection}: one writer thread fills a buffer that goes to the channel on
 * flush or when full. Before handing over a buffer the writer parks while the channel is above its high water mark,
 * so at most one buffer beyond the mark is ever queued. Writes block; the on* callbacks run on the event loop.
 */
final class ChannelOutput extends OutputStream {
    private final Channel channel;
    private final byte[] buffer;
    private final ChannelFutureListener writeListener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writable = lock.newCondition();
    private int count;
    private long parks;
    private volatile boolean closed;
    private volatile boolean shutdown;
    private volatile IOException failure;
    private volatile long timeoutNanos;

    ChannelOutput(Channel channel, TransportOptions options, ChannelFutureListener writeListener) {
        this.channel = channel;
        this.buffer = new byte[options.outboundBufferSize()];
        this.writeListener = writeListener;
    }

    void setTimeoutNanos(long nanos) {
        timeoutNanos = nanos;
    }

    /** How often a writer has parked on a congested channel; for tests of backpressure. */
    long parks() {
        lock.lock();
        try {
            return parks;
        } finally {
            lock.unlock();
        }
    }

    // ---- event-loop side ----

    /** Wakes a parked writer to re-check writability, closure and failure. */
    void wake() {
        lock.lock();
        try {
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void onFailure(IOException cause) {
        if (failure == null) {
            failure = cause;
        }
        wake();
    }

    /** Marks the stream closed by a local {@link Connection#close()}; a parked writer throws "closed". */
    void closeLocally() {
        closed = true;
        wake();
    }

    // ---- writer side ----

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (count == buffer.length) {
            send(buffer, 0, count);
            count = 0;
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            if (count == 0 && len >= buffer.length) {
                // Skips one copy, but still in buffer-sized pieces so each one waits for writability.
                send(b, off, buffer.length);
                off += buffer.length;
                len -= buffer.length;
                continue;
            }
            int n = Math.min(len, buffer.length - count);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            off += n;
            len -= n;
            if (count == buffer.length) {
                send(buffer, 0, count);
                count = 0;
            }
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (count > 0) {
            send(buffer, 0, count);
            count = 0;
        }
    }

    /**
     * Flushes, then half-closes the connection once everything queued is written (shutting down earlier would
     * fail the queued writes). Idempotent; a no-op after a local close.
     */
    @Override
    public void close() throws IOException {
        if (shutdown || closed) {
            return;
        }
        try {
            flush();
        } finally {
            shutdown = true;
            if (channel instanceof SocketChannel socket && socket.isActive()) {
                socket.writeAndFlush(Unpooled.EMPTY_BUFFER)
                        .addListener((ChannelFutureListener) f -> socket.shutdownOutput());
            }
        }
    }

    private void send(byte[] b, int off, int len) throws IOException {
        awaitWritable();
        ByteBuf data = channel.alloc().buffer(len).writeBytes(b, off, len);
        channel.writeAndFlush(data).addListener(writeListener);
    }

    private void awaitWritable() throws IOException {
        if (channel.isWritable()) {
            return;
        }
        NettyConnection.ensureNotEventLoop(channel);
        long timeout = timeoutNanos;
        long deadline = timeout > 0 ? System.nanoTime() + timeout : 0;
        lock.lock();
        try {
            parks++;
            while (!channel.isWritable()) {
                ensureOpen();
                if (timeout > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw ChannelInput.timeoutException(timeout);
                    }
                    writable.awaitNanos(left);
                } else {
                    writable.await();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        if (shutdown) {
            throw new IOException("output shut down");
        }
        IOException cause = failure;
        if (cause != null) {
            throw new IOException(cause.getMessage(), cause);
        }
        if (!channel.isActive()) {
            throw new IOException("connection closed");
        }
    }
}
