package dev.jrsync.protocol.token;

import dev.jrsync.protocol.delta.TokenSink;

import java.io.IOException;

/**
 * Sender side of a compressed token stream (§8). One instance serves a whole session: files follow
 * each other, each closed by {@link #end()}. For every {@link #match(int)} the sender then passes
 * the matched block's bytes to {@link #matchedData}, which only zlib uses (§8.3). A
 * {@link #literal} call feeds data without a flush, as rsync's early literal flush does; the data
 * is flushed before the next match or end. Not thread-safe; blocks in the underlying output.
 */
public interface CompressedTokenWriter extends TokenSink {
    /** The bytes of the block just announced by {@link #match(int)}. */
    void matchedData(byte[] b, int off, int len) throws IOException;

    /** Ends the current file's token stream with END_FLAG. */
    void end() throws IOException;
}
