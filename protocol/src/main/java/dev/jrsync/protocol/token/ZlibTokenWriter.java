package dev.jrsync.protocol.token;

import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;
import java.util.zip.Deflater;

/**
 * zlib and zlibx token writer (§8.3): one raw deflate stream per file, a sync flush before every
 * flag byte with its trailing {@code 00 00 FF FF} dropped, and for zlib the matched blocks added to
 * the history (deflated with a sync flush, output discarded, as rsync does with a system zlib).
 * Mirrors token.c:send_deflated_token(). Not thread-safe; blocks in the output.
 */
final class ZlibTokenWriter extends FramedTokenWriter {
    /** Most history insertion rsync does per piece (a stored block's length field). */
    private static final int MAX_INSERT = 0xFFFF;
    private static final int SYNC_MARKER_LENGTH = 4;

    private final Deflater deflater;
    private final boolean insertMatched;
    private final boolean duplicateBug;
    private final byte[] scratch = new byte[64 * 1024];
    /** Output not yet written; at most one chunk plus the held-back sync marker plus one scratch. */
    private final byte[] pending = new byte[MAX_DATA_COUNT + SYNC_MARKER_LENGTH + 64 * 1024];
    private int pendingLength;
    private boolean fedSinceFlush;
    private boolean firstFile = true;

    ZlibTokenWriter(WireOutput out, int level, boolean insertMatched, int protocol) {
        super(out);
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("zlib level: " + level + " (expected: 0..9)");
        }
        this.deflater = new Deflater(level, true);
        this.insertMatched = insertMatched;
        this.duplicateBug = protocol < 31;
    }

    @Override
    void startFile() {
        if (!firstFile) {
            deflater.reset();
        }
        firstFile = false;
        pendingLength = 0;
        fedSinceFlush = false;
    }

    @Override
    void compress(byte[] b, int off, int len) throws IOException {
        deflater.setInput(b, off, len);
        while (!deflater.needsInput()) {
            collect(deflater.deflate(scratch, 0, scratch.length, Deflater.NO_FLUSH), 0);
        }
        fedSinceFlush = true;
        // Like rsync, hand out what deflate produced so far; no sync marker is involved yet.
        emit(pendingLength);
    }

    @Override
    void flush() throws IOException {
        if (!fedSinceFlush) {
            return;
        }
        int n;
        do {
            n = deflater.deflate(scratch, 0, scratch.length, Deflater.SYNC_FLUSH);
            collect(n, SYNC_MARKER_LENGTH);
        } while (n == scratch.length);
        fedSinceFlush = false;
        if (pendingLength < SYNC_MARKER_LENGTH) {
            throw new IllegalStateException("sync flush produced no marker");
        }
        emit(pendingLength - SYNC_MARKER_LENGTH);
        pendingLength = 0;
    }

    @Override
    void insertMatched(byte[] b, int off, int len) {
        if (!insertMatched) {
            return;
        }
        // Mirrors the Z_INSERT_ONLY loop of send_deflated_token(), including the protocol < 31 bug
        // that re-inserts the block's first 65535 bytes instead of advancing.
        int pos = off;
        while (len > 0) {
            int n = Math.min(len, MAX_INSERT);
            deflater.setInput(b, pos, n);
            int produced;
            do {
                produced = deflater.deflate(scratch, 0, scratch.length, Deflater.SYNC_FLUSH);
            } while (produced == scratch.length || !deflater.needsInput());
            if (!duplicateBug) {
                pos += n;
            }
            len -= n;
        }
    }

    /** Appends {@code n} scratch bytes, writing full chunks while more than {@code keep} bytes remain after them. */
    private void collect(int n, int keep) throws IOException {
        System.arraycopy(scratch, 0, pending, pendingLength, n);
        pendingLength += n;
        int written = 0;
        while (pendingLength - written - MAX_DATA_COUNT >= keep) {
            writeChunk(pending, written, MAX_DATA_COUNT);
            written += MAX_DATA_COUNT;
        }
        if (written > 0) {
            System.arraycopy(pending, written, pending, 0, pendingLength - written);
            pendingLength -= written;
        }
    }

    /** Writes the first {@code upTo} pending bytes as chunks and forgets them. */
    private void emit(int upTo) throws IOException {
        int off = 0;
        while (off < upTo) {
            int n = Math.min(MAX_DATA_COUNT, upTo - off);
            writeChunk(pending, off, n);
            off += n;
        }
        System.arraycopy(pending, upTo, pending, 0, pendingLength - upTo);
        pendingLength -= upTo;
    }
}
