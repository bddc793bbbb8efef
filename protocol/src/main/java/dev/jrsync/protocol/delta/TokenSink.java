package dev.jrsync.protocol.delta;

import java.io.IOException;

/**
 * Receives the sender's delta as it is found. Implementations must not keep a reference to the
 * literal array after returning. Not thread-safe; may block (typically writing to the wire).
 */
public interface TokenSink {
    /** Literal bytes of any length; writers split them as their format requires. */
    void literal(byte[] b, int off, int len) throws IOException;

    /** Block {@code blockIndex} of the basis (0-based). */
    void match(int blockIndex) throws IOException;

    /**
     * The bytes of the block just passed to {@link #match}, for token formats that keep matched
     * data in their compression history (rsync's "zlib", token.c). Plain streams ignore them.
     */
    default void matchedData(byte[] b, int off, int len) throws IOException {
    }
}
