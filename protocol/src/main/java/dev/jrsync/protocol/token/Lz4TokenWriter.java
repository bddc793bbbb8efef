package dev.jrsync.protocol.token;

import dev.jrsync.protocol.wire.WireOutput;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

import java.io.IOException;

/**
 * lz4 token writer (§8.5): every chunk is an independent raw LZ4 block of at most 16383 input
 * bytes, the input halved while the block would exceed 16383 bytes. Mirrors token.c:
 * send_compressed_token(). Literal data is gathered up to 16383 bytes so that small literal calls
 * still yield full blocks. Uses lz4-java's safe (pure Java, no Unsafe) instance. Not thread-safe;
 * blocks in the output.
 */
final class Lz4TokenWriter extends FramedTokenWriter {
    private final LZ4Compressor compressor = LZ4Factory.safeInstance().fastCompressor();
    private final byte[] input = new byte[MAX_DATA_COUNT];
    private final byte[] block = new byte[compressor.maxCompressedLength(MAX_DATA_COUNT)];
    private int inputLength;

    Lz4TokenWriter(WireOutput out) {
        super(out);
    }

    @Override
    void startFile() {
        inputLength = 0;
    }

    @Override
    void compress(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, input.length - inputLength);
            System.arraycopy(b, off, input, inputLength, n);
            inputLength += n;
            off += n;
            len -= n;
            if (inputLength == input.length) {
                flush();
            }
        }
    }

    @Override
    void flush() throws IOException {
        int off = 0;
        while (off < inputLength) {
            int take = inputLength - off;
            int n;
            while ((n = compressor.compress(input, off, take, block, 0, block.length)) > MAX_DATA_COUNT) {
                take /= 2;
            }
            writeChunk(block, 0, n);
            off += take;
        }
        inputLength = 0;
    }
}
