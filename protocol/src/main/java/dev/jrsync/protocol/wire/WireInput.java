package dev.jrsync.protocol.wire;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads rsync's wire primitives (io.c read_int, read_varint, read_varlong, read_longint,
 * read_vstring, read_ndx). Holds the per-direction NDX decoding state, so exactly one instance
 * reads one direction of a connection. Not thread-safe; blocks until the bytes arrive.
 */
public final class WireInput {
    private final InputStream in;
    private final byte[] scratch = new byte[16];
    private int protocol = 32;
    private int prevPositive = -1;
    private int prevNegative = 1;
    private long bytesRead;

    public WireInput(InputStream in) {
        this.in = in;
    }

    public InputStream stream() {
        return in;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    public int protocol() {
        return protocol;
    }

    /** Bytes consumed through this reader (the "bytes received" statistic). */
    public long bytesRead() {
        return bytesRead;
    }

    public int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw eof();
        }
        bytesRead++;
        return b;
    }

    public void readFully(byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                throw eof();
            }
            done += n;
        }
        bytesRead += len;
    }

    /** Reads exactly {@code len} bytes after checking {@code 0 <= len <= max}. */
    public byte[] readBytes(int len, int max, String what) throws IOException {
        if (len < 0 || len > max) {
            throw RsyncException.stream(what + " length: " + len + " (expected: 0.." + max + ")");
        }
        byte[] b = new byte[len];
        readFully(b, 0, len);
        return b;
    }

    public int readInt() throws IOException {
        readFully(scratch, 0, 4);
        return (scratch[0] & 0xFF) | (scratch[1] & 0xFF) << 8 | (scratch[2] & 0xFF) << 16 | (scratch[3] & 0xFF) << 24;
    }

    public long readUInt() throws IOException {
        return readInt() & 0xFFFFFFFFL;
    }

    public int readShort() throws IOException {
        readFully(scratch, 0, 2);
        return (scratch[0] & 0xFF) | (scratch[1] & 0xFF) << 8;
    }

    /** Protocol &lt; 30 64-bit value: int32, or -1 followed by 8 bytes. */
    public long readLongint() throws IOException {
        int v = readInt();
        if (v != -1) {
            return v;
        }
        readFully(scratch, 0, 8);
        return leLong(scratch, 0, 8);
    }

    public int readVarint() throws IOException {
        int first = readByte();
        int extra = leadingOnes(first);
        if (extra > 4) {
            throw RsyncException.stream("Overflow in read_varint()");
        }
        readFully(scratch, 0, extra);
        long v = leLong(scratch, 0, extra);
        if (extra < 4) {
            v |= (long) (first & ((1 << (7 - extra)) - 1)) << (8 * extra);
        }
        return (int) v;
    }

    public long readVarlong(int minBytes) throws IOException {
        readFully(scratch, 0, minBytes);
        int first = scratch[0] & 0xFF;
        int extra = leadingOnes(first);
        if (minBytes + extra > 9) {
            throw RsyncException.stream("Overflow in read_varlong()");
        }
        byte[] value = new byte[9];
        System.arraycopy(scratch, 1, value, 0, minBytes - 1);
        readFully(value, minBytes - 1, extra);
        int n = minBytes - 1 + extra;
        long v = leLong(value, 0, Math.min(n, 8));
        if (n < 8) {
            v |= (long) (first & ((1 << (7 - extra)) - 1)) << (8 * n);
        }
        return v;
    }

    public int readVarint30() throws IOException {
        return protocol < 30 ? readInt() : readVarint();
    }

    public long readVarlong30(int minBytes) throws IOException {
        return protocol < 30 ? readLongint() : readVarlong(minBytes);
    }

    /** Mirrors io.c:read_vstring(). */
    public String readVstring(int max) throws IOException {
        int len = readByte();
        if ((len & 0x80) != 0) {
            len = (len & 0x7F) << 8 | readByte();
        }
        return new String(readBytes(len, max, "vstring"), StandardCharsets.UTF_8);
    }

    /** Mirrors io.c:read_ndx(); returns NDX_DONE (-1) and the other negative markers as they are. */
    public int readNdx() throws IOException {
        if (protocol < 30) {
            return readInt();
        }
        int b = readByte();
        boolean negative = false;
        if (b == 0) {
            return Ndx.DONE;
        }
        if (b == 0xFF) {
            negative = true;
            b = readByte();
        }
        int prev = negative ? prevNegative : prevPositive;
        int num;
        if (b == 0xFE) {
            int b0 = readByte();
            int b1 = readByte();
            if ((b0 & 0x80) != 0) {
                int b2 = readByte();
                int b3 = readByte();
                num = (b0 & 0x7F) << 24 | b1 | b2 << 8 | b3 << 16;
            } else {
                num = (b0 << 8 | b1) + prev;
            }
        } else {
            num = b + prev;
        }
        if (num < 0) {
            throw RsyncException.stream("file index: " + (num & 0xFFFFFFFFL) + " (expected: <= 2147483647)");
        }
        if (negative) {
            prevNegative = num;
            return -num;
        }
        prevPositive = num;
        return num;
    }

    private static int leadingOnes(int b) {
        return Integer.numberOfLeadingZeros(~(b << 24));
    }

    private static long leLong(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static RsyncException eof() {
        return new RsyncException(ExitCode.RERR_STREAMIO, "connection unexpectedly closed", new EOFException());
    }
}
