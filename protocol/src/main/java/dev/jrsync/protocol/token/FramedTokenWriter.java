package dev.jrsync.protocol.token;

import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;

/**
 * The flag-byte framing shared by zlib, zlibx, zstd and lz4 (§8.2): consecutive matches are grouped
 * into runs of up to 65536 blocks, each written relative to the end of the previous run when it is
 * 0..63 blocks ahead. Mirrors the run logic of token.c:send_deflated_token(); codecs supply the
 * data compression. Not thread-safe; blocks in the output.
 */
abstract sealed class FramedTokenWriter implements CompressedTokenWriter
        permits ZlibTokenWriter, ZstdTokenWriter, Lz4TokenWriter {
    static final int END_FLAG = 0x00;
    static final int TOKEN_LONG = 0x20;
    static final int TOKENRUN_LONG = 0x21;
    static final int DEFLATED_DATA = 0x40;
    static final int TOKEN_REL = 0x80;
    static final int TOKENRUN_REL = 0xC0;
    /** The largest compressed chunk: 14 bits of length. */
    static final int MAX_DATA_COUNT = 16383;
    /** A run token's 16-bit count c stands for c + 1 blocks. */
    static final int MAX_RUN_BLOCKS = 65536;

    protected final WireOutput out;
    private boolean inFile;
    private int lastRunEnd;
    private int runStart = -1;
    private int runEnd = -1;

    FramedTokenWriter(WireOutput out) {
        this.out = out;
    }

    @Override
    public final void literal(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        enterFile();
        writeRun();
        compress(b, off, len);
    }

    @Override
    public final void match(int blockIndex) throws IOException {
        if (blockIndex < 0) {
            throw new IllegalArgumentException("block index: " + blockIndex + " (expected: >= 0)");
        }
        enterFile();
        flush();
        if (runStart >= 0 && blockIndex == runEnd + 1 && blockIndex - runStart < MAX_RUN_BLOCKS) {
            runEnd = blockIndex;
            return;
        }
        writeRun();
        runStart = blockIndex;
        runEnd = blockIndex;
    }

    @Override
    public final void matchedData(byte[] b, int off, int len) throws IOException {
        if (runStart < 0) {
            throw new IllegalStateException("matchedData without a preceding match");
        }
        insertMatched(b, off, len);
    }

    @Override
    public final void end() throws IOException {
        enterFile();
        flush();
        writeRun();
        out.writeByte(END_FLAG);
        inFile = false;
    }

    private void enterFile() {
        if (!inFile) {
            inFile = true;
            lastRunEnd = 0;
            runStart = -1;
            startFile();
        }
    }

    private void writeRun() throws IOException {
        if (runStart < 0) {
            return;
        }
        int r = runStart - lastRunEnd;
        int n = runEnd - runStart;
        if (r >= 0 && r <= 63) {
            out.writeByte((n == 0 ? TOKEN_REL : TOKENRUN_REL) + r);
        } else {
            out.writeByte(n == 0 ? TOKEN_LONG : TOKENRUN_LONG);
            out.writeInt(runStart);
        }
        if (n != 0) {
            out.writeShort(n);
        }
        lastRunEnd = runEnd;
        runStart = -1;
    }

    /** Writes one DEFLATED_DATA chunk of 1..16383 bytes. */
    final void writeChunk(byte[] b, int off, int n) throws IOException {
        out.writeByte(DEFLATED_DATA + (n >> 8));
        out.writeByte(n & 0xFF);
        out.write(b, off, n);
    }

    /** A new file's token stream begins (zlib resets its stream here). */
    abstract void startFile();

    /** Literal data, compressed without a flush; full chunks may be written. */
    abstract void compress(byte[] b, int off, int len) throws IOException;

    /** Writes out everything fed since the last flush, so that a flag byte may follow. */
    abstract void flush() throws IOException;

    /** The matched block's bytes; only zlib puts them into its history. */
    void insertMatched(byte[] b, int off, int len) throws IOException {
    }
}
