package dev.jrsync.protocol.token;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * zstd token writer (§8.4): one compression context for the whole session, never reset, so all
 * files form one continuous zstd frame; literal data is fed with ZSTD_e_continue and flushed with
 * ZSTD_e_flush before a flag byte. Mirrors token.c:send_zstd_token(). Holds native memory for the
 * session's life. Not thread-safe; blocks in the output.
 */
final class ZstdTokenWriter extends FramedTokenWriter {
    /** A sanity bound for callers; a daemon caps its peers far lower (TokenCodecs' callers do). */
    static final int MAX_THREADS = 256;
    private final ZstdCompressCtx ctx = new ZstdCompressCtx();
    private final ByteBuffer src = ByteBuffer.allocateDirect(32 * 1024);
    private final ByteBuffer dst = ByteBuffer.allocateDirect(MAX_DATA_COUNT);
    private final byte[] chunk = new byte[MAX_DATA_COUNT];
    private boolean fedSinceFlush;

    ZstdTokenWriter(WireOutput out, int level, int threads) {
        super(out);
        if (level < Zstd.minCompressionLevel() || level > Zstd.maxCompressionLevel()) {
            throw new IllegalArgumentException("zstd level: " + level + " (expected: "
                    + Zstd.minCompressionLevel() + ".." + Zstd.maxCompressionLevel() + ")");
        }
        if (threads < 0 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("zstd threads: " + threads + " (expected: 0.." + MAX_THREADS + ")");
        }
        ctx.setLevel(level);
        if (threads > 0) {
            ctx.setWorkers(threads);
        }
    }

    @Override
    void startFile() {
        // The stream continues across files.
    }

    @Override
    void compress(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, src.capacity());
            src.clear();
            src.put(b, off, n).flip();
            while (src.hasRemaining()) {
                ctx.compressDirectByteBufferStream(dst, src, EndDirective.CONTINUE);
                if (!dst.hasRemaining()) {
                    writeOut();
                }
            }
            off += n;
            len -= n;
        }
        fedSinceFlush = true;
    }

    @Override
    void flush() throws IOException {
        if (!fedSinceFlush) {
            return;
        }
        src.clear().flip();
        boolean done;
        do {
            done = ctx.compressDirectByteBufferStream(dst, src, EndDirective.FLUSH);
            if (!dst.hasRemaining() || done && dst.position() > 0) {
                writeOut();
            }
        } while (!done);
        fedSinceFlush = false;
    }

    private void writeOut() throws IOException {
        int n = dst.position();
        dst.flip();
        dst.get(chunk, 0, n);
        dst.clear();
        writeChunk(chunk, 0, n);
    }
}
