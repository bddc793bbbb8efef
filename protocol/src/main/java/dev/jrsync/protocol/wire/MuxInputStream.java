package dev.jrsync.protocol.wire;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The reading half of rsync's multiplexing (io.c read_a_msg): in raw mode bytes pass through; in
 * multiplexed mode MSG_DATA payloads form the data stream and every other frame goes to the
 * {@link MessageHandler}. Empty MSG_DATA frames (keep-alives) are skipped.
 *
 * <p>Not thread-safe: one reader thread owns it. Blocks in {@code read} until data arrives.
 */
public final class MuxInputStream extends InputStream {
    /** Largest non-data message payload accepted; rsync's own messages are far below this. */
    public static final int MAX_MESSAGE = 1 << 20;

    private final InputStream in;
    private MessageHandler handler;
    private boolean multiplexed;
    private int dataLeft;
    private final byte[] header = new byte[4];
    private Runnable onActivity = () -> { };

    public MuxInputStream(InputStream in, MessageHandler handler) {
        this.in = in;
        this.handler = handler;
    }

    public void setHandler(MessageHandler handler) {
        this.handler = handler;
    }

    /** Called whenever bytes arrive (used for timeouts and keep-alive bookkeeping). */
    public void setOnActivity(Runnable onActivity) {
        this.onActivity = onActivity;
    }

    public void startMultiplex() {
        multiplexed = true;
        dataLeft = 0;
    }

    public boolean isMultiplexed() {
        return multiplexed;
    }

    @Override
    public int read() throws IOException {
        if (!multiplexed) {
            int b = in.read();
            if (b < 0) {
                throw eof();
            }
            return b;
        }
        if (!fillFrame()) {
            throw eof();
        }
        int b = in.read();
        if (b < 0) {
            throw eof();
        }
        dataLeft--;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!multiplexed) {
            int n = in.read(b, off, len);
            if (n < 0) {
                throw eof();
            }
            return n;
        }
        if (!fillFrame()) {
            throw eof();
        }
        int n = in.read(b, off, Math.min(len, dataLeft));
        if (n < 0) {
            throw eof();
        }
        dataLeft -= n;
        return n;
    }

    /**
     * Reads frames until data is available, dispatching messages.
     * Returns false only when the peer closed cleanly between frames.
     */
    private boolean fillFrame() throws IOException {
        while (dataLeft == 0) {
            int got = 0;
            while (got < 4) {
                int n = in.read(header, got, 4 - got);
                if (n < 0) {
                    if (got == 0) {
                        return false;
                    }
                    throw eof();
                }
                got += n;
            }
            onActivity.run();
            int len = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
            int tag = (header[3] & 0xFF) - MsgCode.MPLEX_BASE;
            if (tag == MsgCode.MSG_DATA) {
                dataLeft = len;
                continue;
            }
            if (tag < 0) {
                throw new RsyncException(ExitCode.RERR_STREAMIO,
                        "unexpected tag " + tag + " [receiver]");
            }
            if (len > MAX_MESSAGE) {
                throw RsyncException.stream("multiplexed message length: " + len + " (expected: <= " + MAX_MESSAGE + ")");
            }
            byte[] payload = in.readNBytes(len);
            if (payload.length != len) {
                throw eof();
            }
            checkLength(tag, len);
            handler.onMessage(tag, payload);
        }
        return true;
    }

    private static void checkLength(int tag, int len) throws RsyncException {
        boolean ok = switch (tag) {
            case MsgCode.MSG_REDO, MsgCode.MSG_IO_ERROR, MsgCode.MSG_IO_TIMEOUT, MsgCode.MSG_NO_SEND,
                 MsgCode.MSG_SUCCESS -> len == 4;
            case MsgCode.MSG_NOOP -> len == 0;
            case MsgCode.MSG_ERROR_EXIT -> len == 0 || len == 4;
            case MsgCode.MSG_ERROR_XFER, MsgCode.MSG_INFO, MsgCode.MSG_ERROR, MsgCode.MSG_WARNING,
                 MsgCode.MSG_DELETED, MsgCode.MSG_LOG, MsgCode.MSG_ERROR_SOCKET, MsgCode.MSG_CLIENT,
                 MsgCode.MSG_ERROR_UTF8 -> true;
            case MsgCode.MSG_STATS -> len == 8;
            default -> throw new RsyncException(ExitCode.RERR_STREAMIO,
                    "unexpected tag " + tag + " (" + MsgCode.name(tag) + ")");
        };
        if (!ok) {
            throw new RsyncException(ExitCode.RERR_STREAMIO,
                    "invalid multi-message " + MsgCode.name(tag) + ":" + len);
        }
    }

    private static RsyncException eof() {
        return new RsyncException(ExitCode.RERR_STREAMIO,
                "connection unexpectedly closed", new EOFException());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
