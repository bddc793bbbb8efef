package dev.jrsync.protocol.token;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.wire.WireInput;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.io.IOException;

/**
 * lz4 token reader (§8.5): each chunk is decompressed on its own into a buffer of rsync's size,
 * max(LZ4_compressBound(32768), 16385), which bounds a chunk's output. Mirrors token.c:
 * recv_compressed_token(). Uses lz4-java's safe instance. Not thread-safe; blocks on its input.
 */
final class Lz4TokenReader extends FramedTokenReader {
    /** LZ4_compressBound(32768) = 32768 + 32768 / 255 + 16. */
    static final int MAX_CHUNK_OUTPUT = 32768 + 32768 / 255 + 16;

    private final LZ4SafeDecompressor decompressor = LZ4Factory.safeInstance().safeDecompressor();
    private final byte[] out = new byte[MAX_CHUNK_OUTPUT];
    private int available;

    Lz4TokenReader(WireInput in) {
        super(in, MAX_CHUNK_OUTPUT);
    }

    @Override
    void resetForFile() {
        available = 0;
    }

    @Override
    boolean acceptsEmptyChunk() {
        return false;
    }

    @Override
    void feed(byte[] b, int len) throws IOException {
        try {
            available = decompressor.decompress(b, 0, len, out, 0, out.length);
        } catch (LZ4Exception e) {
            throw new RsyncException(ExitCode.RERR_STREAMIO, "lz4 chunk of " + len + " bytes: " + e.getMessage()
                    + " (expected: a raw LZ4 block of at most " + MAX_CHUNK_OUTPUT + " bytes output)", e);
        }
    }

    @Override
    int inflate() {
        int n = available;
        available = 0;
        return n;
    }

    @Override
    byte[] output() {
        return out;
    }
}
