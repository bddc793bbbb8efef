package dev.jrsync.protocol.wire;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The writing half of rsync's multiplexing: in raw mode bytes are buffered and written as is; in
 * multiplexed mode buffered data leaves as MSG_DATA frames and {@link #writeMessage} sends other
 * codes. Every method is synchronized, so frames from different threads never interleave.
 * May block in the underlying stream when the peer does not read.
 */
public final class MuxOutputStream extends OutputStream {
    /** rsync never sends data frames above its 64 KiB buffer; we stay at 32 KiB. */
    public static final int FRAME_DATA = 32 * 1024;

    private final OutputStream out;
    private final byte[] buf = new byte[4 + FRAME_DATA];
    private int count; // data bytes in buf after the 4-byte header slot
    private boolean multiplexed;
    private volatile long lastWriteNanos = System.nanoTime();

    public MuxOutputStream(OutputStream out) {
        this.out = out;
    }

    public synchronized void startMultiplex() throws IOException {
        flushBuffer();
        multiplexed = true;
    }

    public synchronized boolean isMultiplexed() {
        return multiplexed;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (count == FRAME_DATA) {
            flushBuffer();
        }
        buf[4 + count++] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (count == FRAME_DATA) {
                flushBuffer();
            }
            int n = Math.min(len, FRAME_DATA - count);
            System.arraycopy(b, off, buf, 4 + count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    /** Sends a message frame after any buffered data. Texts are sent as is (no NUL). */
    public synchronized void writeMessage(int code, byte[] payload) throws IOException {
        if (!multiplexed) {
            throw new IllegalStateException("message " + MsgCode.name(code) + " before multiplexing");
        }
        flushBuffer();
        byte[] h = header(code, payload.length);
        out.write(h);
        out.write(payload);
        out.flush();
        lastWriteNanos = System.nanoTime();
    }

    /** A message whose payload is one int32 (MSG_IO_ERROR, MSG_NO_SEND, MSG_IO_TIMEOUT, MSG_ERROR_EXIT). */
    public void writeIntMessage(int code, int value) throws IOException {
        writeMessage(code, new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
    }

    /** An empty MSG_DATA frame: rsync 3.1+'s keep-alive. */
    public synchronized void writeKeepAlive() throws IOException {
        if (multiplexed) {
            flushBuffer();
            out.write(header(MsgCode.MSG_DATA, 0));
            out.flush();
            lastWriteNanos = System.nanoTime();
        }
    }

    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    private static byte[] header(int code, int len) {
        return new byte[] {(byte) len, (byte) (len >>> 8), (byte) (len >>> 16),
                (byte) (MsgCode.MPLEX_BASE + code)};
    }

    private void flushBuffer() throws IOException {
        if (count == 0) {
            return;
        }
        if (multiplexed) {
            buf[0] = (byte) count;
            buf[1] = (byte) (count >>> 8);
            buf[2] = (byte) (count >>> 16);
            buf[3] = (byte) (MsgCode.MPLEX_BASE + MsgCode.MSG_DATA);
            out.write(buf, 0, 4 + count);
        } else {
            out.write(buf, 4, count);
        }
        count = 0;
        lastWriteNanos = System.nanoTime();
    }

    @Override
    public synchronized void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
