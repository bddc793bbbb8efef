package dev.jrsync.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Connection} over one already connected {@link SocketChannel} without Netty: the socket an inetd-style
 * launcher hands over on stdin ({@link System#inheritedChannel()}), TCP or AF_UNIX. The channel is switched to
 * non-blocking mode and each stream waits on its own selector, so reads and writes honour the read timeout.
 * Thread-safety and blocking as in {@link Connection}.
 */
public final class SocketChannelConnection implements Connection {
    /** What a peer without an IP address (AF_UNIX) counts as: 0.0.0.0, stock's address for an unknown client. */
    public static final InetSocketAddress UNKNOWN_PEER = new InetSocketAddress(anyLocal(), 0);
    private static final int BUFFER = 64 * 1024;

    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final Selector readSelector;
    private final Selector writeSelector;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Input input = new Input();
    private final Output output = new Output();
    private volatile long timeoutNanos;

    private SocketChannelConnection(SocketChannel channel, InetSocketAddress unknown) throws IOException {
        this.channel = channel;
        this.remote = inet(channel.getRemoteAddress(), unknown);
        this.local = inet(channel.getLocalAddress(), unknown);
        channel.configureBlocking(false);
        this.readSelector = Selector.open();
        this.writeSelector = Selector.open();
        channel.register(readSelector, SelectionKey.OP_READ);
        channel.register(writeSelector, SelectionKey.OP_WRITE);
    }

    /**
     * Wraps a connected channel.
     *
     * @param unknown the address to report for a peer without an IP address (AF_UNIX)
     */
    public static SocketChannelConnection of(SocketChannel channel, InetSocketAddress unknown) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(unknown, "unknown");
        if (!channel.isConnected()) {
            throw new IOException("socket is not connected");
        }
        return new SocketChannelConnection(channel, unknown);
    }

    private static InetAddress anyLocal() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetSocketAddress inet(SocketAddress a, InetSocketAddress unknown) {
        return a instanceof InetSocketAddress i ? i : unknown;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("read timeout: " + timeout + " (expected: >= 0)");
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        timeoutNanos = timeout.isZero() ? 0 : Math.max(1, nanos);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        readSelector.wakeup();
        writeSelector.wakeup();
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
        closeQuietly(readSelector);
        closeQuietly(writeSelector);
    }

    private static void closeQuietly(Selector s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }

    /**
     * Waits until {@code selector} reports the channel ready; throws rsync's timeout after {@link #timeoutNanos}
     * without readiness, "closed" after {@link #close()}.
     */
    private void await(Selector selector, long deadline) throws IOException {
        long timeout = timeoutNanos;
        if (closed.get()) {
            throw new IOException("closed");
        }
        long waitMillis = 0;
        if (timeout > 0) {
            long d = deadline == 0 ? System.nanoTime() + timeout : deadline;
            long left = d - System.nanoTime();
            if (left <= 0) {
                throw ChannelInput.timeoutException(timeout);
            }
            waitMillis = Math.max(1, left / 1_000_000);
        }
        try {
            selector.select(waitMillis);
            selector.selectedKeys().clear();
        } catch (java.nio.channels.ClosedSelectorException e) {
            throw new IOException("closed");
        }
        if (closed.get()) {
            throw new IOException("closed");
        }
    }

    private long deadline() {
        long timeout = timeoutNanos;
        return timeout > 0 ? System.nanoTime() + timeout : 0;
    }

    private final class Input extends InputStream {
        private final ByteBuffer one = ByteBuffer.allocate(1);
        private boolean eof;

        @Override
        public int read() throws IOException {
            one.clear();
            int n = read(one.array(), 0, 1);
            return n < 0 ? -1 : one.array()[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (eof) {
                return -1;
            }
            ByteBuffer dst = ByteBuffer.wrap(b, off, len);
            long deadline = deadline();
            while (true) {
                if (closed.get()) {
                    throw new IOException("closed");
                }
                int n = channel.read(dst);
                if (n > 0) {
                    return n;
                }
                if (n < 0) {
                    eof = true;
                    return -1;
                }
                await(readSelector, deadline);
            }
        }

        @Override
        public void close() {
            // Stops nothing on its own: the connection stays open (see Connection#input()).
        }
    }

    private final class Output extends OutputStream {
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        private boolean shut;

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            if (!buffer.hasRemaining()) {
                flushBuffer();
            }
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            while (len > 0) {
                if (!buffer.hasRemaining()) {
                    flushBuffer();
                }
                int n = Math.min(len, buffer.remaining());
                buffer.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            flushBuffer();
        }

        private void ensureOpen() throws IOException {
            if (closed.get() || shut) {
                throw new IOException("closed");
            }
        }

        private void flushBuffer() throws IOException {
            buffer.flip();
            try {
                long deadline = deadline();
                while (buffer.hasRemaining()) {
                    if (closed.get()) {
                        throw new IOException("closed");
                    }
                    if (channel.write(buffer) > 0) {
                        deadline = deadline();
                    } else {
                        await(writeSelector, deadline);
                    }
                }
            } finally {
                buffer.compact();
            }
        }

        /** Flushes and half-closes: the peer reads EOF. */
        @Override
        public void close() throws IOException {
            if (shut || closed.get()) {
                return;
            }
            flushBuffer();
            shut = true;
            channel.shutdownOutput();
        }
    }
}
