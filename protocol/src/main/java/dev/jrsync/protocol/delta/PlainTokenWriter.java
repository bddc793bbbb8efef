package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;

/**
 * Writes the uncompressed token stream (§7.10). Mirrors token.c:simple_send_token(). Not
 * thread-safe; blocks in the underlying output.
 */
public final class PlainTokenWriter implements TokenSink {
    /** rsync's CHUNK_SIZE: the largest literal piece it sends. */
    public static final int CHUNK_SIZE = 32 * 1024;

    private final WireOutput out;

    public PlainTokenWriter(WireOutput out) {
        this.out = out;
    }

    @Override
    public void literal(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, CHUNK_SIZE);
            out.writeInt(n);
            out.write(b, off, n);
            off += n;
            len -= n;
        }
    }

    @Override
    public void match(int blockIndex) throws IOException {
        out.writeInt(-(blockIndex + 1));
    }

    /** Ends the file's token stream. */
    public void end() throws IOException {
        out.writeInt(0);
    }
}
