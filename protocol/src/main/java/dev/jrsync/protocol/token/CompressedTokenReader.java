package dev.jrsync.protocol.token;

import dev.jrsync.protocol.delta.TokenSource;

import java.io.IOException;

/**
 * Receiver side of a compressed token stream (§8). One instance serves a whole session: call
 * {@link #startFile(int)} before each file, then {@link #next()} until {@link
 * dev.jrsync.protocol.delta.Token.End}; after each {@link dev.jrsync.protocol.delta.Token.Match}
 * pass the basis bytes copied for it to {@link #matchedData} (zlib puts them into its history).
 * Malformed input ends with {@link dev.jrsync.protocol.RsyncException} exit 12. Not thread-safe;
 * blocks on its input.
 */
public interface CompressedTokenReader extends TokenSource {
    /**
     * Begins the next file: block indexes must be below {@code blockCount} (the number of blocks
     * in the sum head sent for this file, 0 for none).
     */
    void startFile(int blockCount) throws IOException;

    /** The basis bytes of the block returned by the last Match token. */
    void matchedData(byte[] b, int off, int len) throws IOException;
}
