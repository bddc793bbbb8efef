package dev.jrsync.protocol.token;

import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.delta.Token;
import dev.jrsync.protocol.wire.WireInput;

import java.io.IOException;

/**
 * Decodes the flag-byte framing shared by zlib, zlibx, zstd and lz4 (§8.2). Mirrors the state
 * machine of token.c:recv_deflated_token(); codecs supply the decompression. Every block index
 * is checked against the file's block count, every chunk's output against a cap, so hostile input
 * ends with exit 12 and memory stays bounded by the fixed buffers. Not thread-safe; blocks on its
 * input.
 */
abstract sealed class FramedTokenReader implements CompressedTokenReader
        permits ZlibTokenReader, ZstdTokenReader, Lz4TokenReader {
    private static final Token.End END = new Token.End();

    protected final WireInput in;
    private final byte[] chunk = new byte[FramedTokenWriter.MAX_DATA_COUNT];
    private final long maxChunkOutput;
    private boolean started;
    private boolean inFile;
    private int blockCount;
    private long last;
    private int runRemaining;
    private boolean chunkActive;
    private boolean afterData;
    private long chunkOutput;
    private boolean matchReturned;

    FramedTokenReader(WireInput in, long maxChunkOutput) {
        this.in = in;
        this.maxChunkOutput = maxChunkOutput;
    }

    @Override
    public final void startFile(int blockCount) throws IOException {
        if (inFile) {
            throw new IllegalStateException("startFile before the previous file's END");
        }
        if (blockCount < 0) {
            throw new IllegalArgumentException("block count: " + blockCount + " (expected: >= 0)");
        }
        if (started) {
            resetForFile();
        }
        started = true;
        inFile = true;
        this.blockCount = blockCount;
        last = 0;
        runRemaining = 0;
        chunkActive = false;
        afterData = false;
        matchReturned = false;
    }

    @Override
    public final Token next() throws IOException {
        if (!inFile) {
            throw new IllegalStateException("next() outside a file: call startFile first");
        }
        matchReturned = false;
        if (runRemaining > 0) {
            runRemaining--;
            last++;
            return match();
        }
        while (true) {
            if (chunkActive) {
                int n = inflate();
                if (n > 0) {
                    chunkOutput += n;
                    if (chunkOutput > maxChunkOutput) {
                        throw RsyncException.stream("decompressed chunk size: more than " + maxChunkOutput
                                + " bytes (expected: <= " + maxChunkOutput + ")");
                    }
                    return new Token.Literal(output(), 0, n);
                }
                chunkActive = false;
                afterData = true;
            }
            int flag = in.readByte();
            if ((flag & 0xC0) == FramedTokenWriter.DEFLATED_DATA) {
                int n = (flag & 0x3F) << 8 | in.readByte();
                if (n == 0 && !acceptsEmptyChunk()) {
                    throw RsyncException.stream("compressed chunk length: 0 (expected: 1..16383)");
                }
                in.readFully(chunk, 0, n);
                feed(chunk, n);
                chunkActive = true;
                chunkOutput = 0;
                continue;
            }
            if (afterData) {
                afterData = false;
                endOfData();
            }
            return token(flag);
        }
    }

    private Token token(int flag) throws IOException {
        boolean run;
        if (flag == FramedTokenWriter.END_FLAG) {
            inFile = false;
            return END;
        } else if ((flag & FramedTokenWriter.TOKEN_REL) != 0) {
            last += flag & 0x3F;
            run = (flag & 0x40) != 0;
        } else if (flag == FramedTokenWriter.TOKEN_LONG || flag == FramedTokenWriter.TOKENRUN_LONG) {
            last = in.readInt();
            run = flag == FramedTokenWriter.TOKENRUN_LONG;
        } else {
            throw RsyncException.stream(String.format(
                    "token flag: 0x%02X (expected: 0x00, 0x20, 0x21, 0x40..0x7F or 0x80..0xFF)", flag));
        }
        if (run) {
            int count = in.readShort();
            if (count == 0) {
                throw RsyncException.stream("token run count: 0 (expected: 1..65535)");
            }
            if (last >= 0 && last + count >= blockCount) {
                throw RsyncException.stream("block index: " + (last + count) + " (expected: 0 <= index < " + blockCount + ")");
            }
            runRemaining = count;
        }
        return match();
    }

    private Token match() throws RsyncException {
        if (last < 0 || last >= blockCount) {
            throw RsyncException.stream("block index: " + last + " (expected: 0 <= index < " + blockCount + ")");
        }
        matchReturned = true;
        return new Token.Match((int) last);
    }

    @Override
    public final void matchedData(byte[] b, int off, int len) throws IOException {
        if (!matchReturned) {
            throw new IllegalStateException("matchedData without a preceding Match token");
        }
        insertMatched(b, off, len);
    }

    /** Codecs with per-file streams (zlib) reset here; called at the start of every file but the first. */
    abstract void resetForFile();

    /** Whether a DEFLATED_DATA chunk of length 0 is legal for this codec. */
    abstract boolean acceptsEmptyChunk();

    /** A compressed chunk arrived; {@code b} is reused after the chunk is drained. */
    abstract void feed(byte[] b, int len) throws IOException;

    /** Next piece of the current chunk's output into {@link #output()}, 0 when it is drained. */
    abstract int inflate() throws IOException;

    /** The buffer {@link #inflate()} fills. */
    abstract byte[] output();

    /** A flag byte follows data: zlib consumes the stripped sync marker here. */
    void endOfData() throws IOException {
    }

    /** Basis bytes of a matched block; only zlib uses them. */
    void insertMatched(byte[] b, int off, int len) throws IOException {
    }
}
