package dev.jrsync.transport;

import dev.jrsync.protocol.wire.Duplex;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A duplex over two plain streams: a remote-shell server's stdin and stdout, or one end of a local
 * copy's pipes. {@link #close()} closes both (which unblocks a reader of a pipe or channel stream);
 * thread-safe and idempotent.
 */
public final class StreamDuplex implements Duplex {
    private final InputStream in;
    private final OutputStream out;
    private volatile boolean closed;

    public StreamDuplex(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public InputStream input() {
        return in;
    }

    @Override
    public OutputStream output() {
        return out;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException ignored) {
            // Already broken: closing is all that was wanted.
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // As above.
        }
    }
}
