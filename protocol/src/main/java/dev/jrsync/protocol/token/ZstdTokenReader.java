package dev.jrsync.protocol.token;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.wire.WireInput;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * zstd token reader (§8.4): one decompression context for the whole session, never reset, fed each
 * chunk in turn. Mirrors token.c:recv_zstd_token(). Holds native memory for the session's life. Not
 * thread-safe; blocks on its input.
 */
final class ZstdTokenReader extends FramedTokenReader {
    /**
     * A sender only writes a chunk when 16383 bytes of output have accumulated or at a flush, and
     * zstd encodes a 128 KiB block of one repeated byte in 4 bytes, so a legitimate chunk can
     * expand about 32000-fold; this cap sits above that and still stops endless output.
     */
    static final long MAX_CHUNK_OUTPUT = 1L << 30;

    private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();
    private final ByteBuffer src = ByteBuffer.allocateDirect(FramedTokenWriter.MAX_DATA_COUNT);
    private final ByteBuffer dst = ByteBuffer.allocateDirect(32 * 1024);
    private final byte[] out = new byte[32 * 1024];
    private boolean outputFull;

    ZstdTokenReader(WireInput in, long maxChunkOutput) {
        super(in, maxChunkOutput);
    }

    @Override
    void resetForFile() {
        // The stream continues across files.
    }

    @Override
    boolean acceptsEmptyChunk() {
        return true;
    }

    @Override
    void feed(byte[] b, int len) {
        src.clear();
        src.put(b, 0, len).flip();
        outputFull = false;
    }

    @Override
    int inflate() throws IOException {
        // Output may remain inside zstd after the input is consumed if the last call filled dst.
        while (src.hasRemaining() || outputFull) {
            dst.clear();
            try {
                ctx.decompressDirectByteBufferStream(dst, src);
            } catch (ZstdException e) {
                throw new RsyncException(ExitCode.RERR_STREAMIO,
                        "zstd: " + e.getMessage() + " (expected: valid zstd data)", e);
            }
            int n = dst.position();
            outputFull = n == dst.capacity();
            if (n > 0) {
                dst.flip();
                dst.get(out, 0, n);
                return n;
            }
        }
        return 0;
    }

    @Override
    byte[] output() {
        return out;
    }
}
