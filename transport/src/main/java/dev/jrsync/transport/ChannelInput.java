package dev.jrsync.transport;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The inbound half of a {@link NettyConnection}: the event loop deposits buffers, one reader thread takes bytes.
 * Socket reads are requested one at a time (AUTO_READ is off) and only while another chunk fits under the high mark,
 * so the buffer stays bounded and a slow reader throttles the peer through TCP flow control.
 * Reads block; the on* callbacks run on the event loop and never block beyond a short lock hold.
 */
final class ChannelInput extends InputStream {
    private final Channel channel;
    private final int highMark;
    private final int lowMark;
    private final int readChunk;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private int buffered;
    private int peak;
    private boolean reading;
    private boolean peerEof;
    private boolean closed;
    private IOException failure;
    private volatile long timeoutNanos;

    ChannelInput(Channel channel, TransportOptions options) {
        this.channel = channel;
        this.highMark = options.inboundHighMark();
        this.lowMark = options.inboundLowMark();
        this.readChunk = options.readChunk();
    }

    void setTimeoutNanos(long nanos) {
        timeoutNanos = nanos;
    }

    /** The most bytes ever buffered at once; for tests of the bound. */
    int peakBuffered() {
        lock.lock();
        try {
            return peak;
        } finally {
            lock.unlock();
        }
    }

    // ---- event-loop side ----

    /** Called once the channel is active; returns whether to issue the first read. */
    boolean onActive() {
        lock.lock();
        try {
            reading = !closed && !peerEof;
            return reading;
        } finally {
            lock.unlock();
        }
    }

    void onData(ByteBuf data) {
        lock.lock();
        try {
            if (closed || peerEof || !data.isReadable()) {
                data.release();
                return;
            }
            queue.add(data);
            buffered += data.readableBytes();
            peak = Math.max(peak, buffered);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns whether to read again now; otherwise the reader resumes reading once it drains to the low mark. */
    boolean onReadComplete() {
        lock.lock();
        try {
            reading = !closed && !peerEof && failure == null && buffered + readChunk <= highMark;
            return reading;
        } finally {
            lock.unlock();
        }
    }

    void onPeerEof() {
        lock.lock();
        try {
            peerEof = true;
            reading = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void onFailure(IOException cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            reading = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- reader side ----

    @Override
    public int read() throws IOException {
        boolean resume;
        int value;
        lock.lock();
        try {
            if (!awaitData()) {
                return -1;
            }
            ByteBuf head = queue.peek();
            value = head.readUnsignedByte();
            consumed(head, 1);
            resume = shouldResume();
        } finally {
            lock.unlock();
        }
        if (resume) {
            channel.read();
        }
        return value;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        boolean resume;
        int total = 0;
        lock.lock();
        try {
            if (!awaitData()) {
                return -1;
            }
            while (total < len && buffered > 0) {
                ByteBuf head = queue.peek();
                int n = Math.min(len - total, head.readableBytes());
                head.readBytes(b, off + total, n);
                consumed(head, n);
                total += n;
            }
            resume = shouldResume();
        } finally {
            lock.unlock();
        }
        if (resume) {
            channel.read();
        }
        return total;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        boolean resume;
        long total = 0;
        lock.lock();
        try {
            if (!awaitData()) {
                return 0;
            }
            while (total < n && buffered > 0) {
                ByteBuf head = queue.peek();
                int step = (int) Math.min(n - total, head.readableBytes());
                head.skipBytes(step);
                consumed(head, step);
                total += step;
            }
            resume = shouldResume();
        } finally {
            lock.unlock();
        }
        if (resume) {
            channel.read();
        }
        return total;
    }

    @Override
    public int available() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("closed");
            }
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is buffered and stops reading from the socket; later reads throw "closed". */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            reading = false;
            for (ByteBuf b; (b = queue.poll()) != null; ) {
                b.release();
            }
            buffered = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits, holding the lock, until bytes are buffered (true) or the peer has ended the stream (false). */
    private boolean awaitData() throws IOException {
        long timeout = timeoutNanos;
        long deadline = timeout > 0 ? System.nanoTime() + timeout : 0;
        while (true) {
            if (closed) {
                throw new IOException("closed");
            }
            if (buffered > 0) {
                return true;
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            if (peerEof) {
                return false;
            }
            NettyConnection.ensureNotEventLoop(channel);
            try {
                if (timeout > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw timeoutException(timeout);
                    }
                    changed.awaitNanos(left);
                } else {
                    changed.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading");
            }
        }
    }

    private void consumed(ByteBuf head, int n) {
        buffered -= n;
        if (!head.isReadable()) {
            queue.poll();
            head.release();
        }
    }

    private boolean shouldResume() {
        if (reading || closed || peerEof || failure != null || buffered > lowMark) {
            return false;
        }
        reading = true;
        return true;
    }

    /** Mirrors io.c:check_timeout()'s message; rsync reports whole seconds. */
    static RsyncException timeoutException(long timeoutNanos) {
        long seconds = (timeoutNanos + 999_999_999L) / 1_000_000_000L;
        return new RsyncException(ExitCode.RERR_TIMEOUT, "io timeout after " + seconds + " seconds -- exiting");
    }
}
