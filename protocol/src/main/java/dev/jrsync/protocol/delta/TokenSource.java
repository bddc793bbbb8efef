package dev.jrsync.protocol.delta;

import java.io.IOException;

/** Yields a file's tokens until {@link Token.End}. Not thread-safe; blocks on its input. */
public interface TokenSource {
    Token next() throws IOException;

    /**
     * The basis bytes the receiver copied for the last {@link Token.Match}, in order, in pieces of
     * at most 256 KiB (a block of protocol 30+ is at most 128 KiB, so it comes whole); token
     * formats that keep matched data in their history (rsync's "zlib") feed them to the
     * decompressor. Plain streams ignore them.
     */
    default void matchedData(byte[] b, int off, int len) throws IOException {
    }
}
