package dev.jrsync.protocol.token;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.wire.WireInput;

import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * zlib and zlibx token reader (§8.3): one raw inflate stream per file; the sync marker the sender
 * dropped is fed back before each flag byte that follows data, and for zlib each matched block is
 * fed as a fake stored block so later literals can refer to it. Mirrors token.c:
 * recv_deflated_token() and see_deflate_token(). Not thread-safe; blocks on its input.
 */
final class ZlibTokenReader extends FramedTokenReader {
    /**
     * Deflate cannot expand more than 1032:1, so a legal 16383-byte chunk yields at most this; a
     * legitimate chunk of highly compressible data can come close, so no smaller cap is safe.
     */
    static final long MAX_CHUNK_OUTPUT = 1032L * FramedTokenWriter.MAX_DATA_COUNT;

    private static final byte[] SYNC_MARKER = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final int MAX_STORED = 0xFFFF;

    private final Inflater inflater = new Inflater(true);
    private final boolean insertMatched;
    private final boolean duplicateBug;
    private final byte[] out = new byte[32 * 1024];
    private final byte[] stored = new byte[5 + MAX_STORED];

    ZlibTokenReader(WireInput in, boolean insertMatched, int protocol, long maxChunkOutput) {
        super(in, maxChunkOutput);
        this.insertMatched = insertMatched;
        this.duplicateBug = protocol < 31;
    }

    @Override
    void resetForFile() {
        inflater.reset();
    }

    @Override
    boolean acceptsEmptyChunk() {
        return false;
    }

    @Override
    void feed(byte[] b, int len) {
        inflater.setInput(b, 0, len);
    }

    @Override
    int inflate() throws IOException {
        if (inflater.finished()) {
            if (inflater.getRemaining() > 0) {
                throw lostSync();
            }
            return 0;
        }
        int n;
        do {
            n = run(out);
        } while (n == 0 && inflater.getRemaining() > 0 && !inflater.finished());
        return n;
    }

    @Override
    byte[] output() {
        return out;
    }

    @Override
    void endOfData() throws IOException {
        inflater.setInput(SYNC_MARKER);
        if (run(out) != 0 || inflater.getRemaining() != 0 || inflater.finished()) {
            throw lostSync();
        }
    }

    @Override
    void insertMatched(byte[] b, int off, int len) throws IOException {
        if (!insertMatched) {
            return;
        }
        int pos = off;
        while (len > 0) {
            int n = Math.min(len, MAX_STORED);
            stored[0] = 0;
            stored[1] = (byte) n;
            stored[2] = (byte) (n >> 8);
            stored[3] = (byte) ~n;
            stored[4] = (byte) (~n >> 8);
            System.arraycopy(b, pos, stored, 5, n);
            inflater.setInput(stored, 0, 5 + n);
            while (run(out) > 0 || inflater.getRemaining() > 0) {
                if (inflater.finished()) {
                    throw lostSync();
                }
            }
            if (!duplicateBug) {
                pos += n;
            }
            len -= n;
        }
    }

    private int run(byte[] buf) throws IOException {
        try {
            int n = inflater.inflate(buf);
            if (n == 0 && inflater.needsDictionary()) {
                throw RsyncException.stream("inflate: preset dictionary requested (expected: raw deflate data)");
            }
            return n;
        } catch (DataFormatException e) {
            throw new RsyncException(ExitCode.RERR_STREAMIO,
                    "inflate: " + e.getMessage() + " (expected: valid deflate data)", e);
        }
    }

    private static RsyncException lostSync() {
        return RsyncException.stream("decompressor lost sync: deflate stream ended or marker not consumed"
                + " (expected: an open stream at a sync point)");
    }
}
