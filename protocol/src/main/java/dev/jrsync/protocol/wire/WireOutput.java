package dev.jrsync.protocol.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes rsync's wire primitives (io.c write_int, write_varint, write_varlong, write_longint,
 * write_vstring, write_ndx). Holds the per-direction NDX encoding state. Not thread-safe: one
 * owner per direction. May block in the underlying stream.
 */
public final class WireOutput {
    private final OutputStream out;
    private final byte[] scratch = new byte[16];
    private int protocol = 32;
    private int prevPositive = -1;
    private int prevNegative = 1;
    private long bytesWritten;

    public WireOutput(OutputStream out) {
        this.out = out;
    }

    public OutputStream stream() {
        return out;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    public int protocol() {
        return protocol;
    }

    /** Bytes written through this writer (the "bytes sent" statistic). */
    public long bytesWritten() {
        return bytesWritten;
    }

    public void flush() throws IOException {
        out.flush();
    }

    public void writeByte(int b) throws IOException {
        out.write(b);
        bytesWritten++;
    }

    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        bytesWritten += len;
    }

    public void writeInt(int v) throws IOException {
        scratch[0] = (byte) v;
        scratch[1] = (byte) (v >>> 8);
        scratch[2] = (byte) (v >>> 16);
        scratch[3] = (byte) (v >>> 24);
        write(scratch, 0, 4);
    }

    public void writeShort(int v) throws IOException {
        scratch[0] = (byte) v;
        scratch[1] = (byte) (v >>> 8);
        write(scratch, 0, 2);
    }

    public void writeLongint(long v) throws IOException {
        if (v >= 0 && v <= 0x7FFFFFFFL) {
            writeInt((int) v);
            return;
        }
        writeInt(-1);
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (v >>> (8 * i));
        }
        write(scratch, 0, 8);
    }

    /** Mirrors io.c:write_varint(). */
    public void writeVarint(int x) throws IOException {
        byte[] b = new byte[5];
        for (int i = 0; i < 4; i++) {
            b[i + 1] = (byte) (x >>> (8 * i));
        }
        int cnt = 4;
        while (cnt > 1 && b[cnt] == 0) {
            cnt--;
        }
        int bit = 1 << (7 - cnt + 1);
        if ((b[cnt] & 0xFF) >= bit) {
            cnt++;
            b[0] = (byte) ~(bit - 1);
        } else if (cnt > 1) {
            b[0] = (byte) (b[cnt] | ~(bit * 2 - 1));
        } else {
            b[0] = b[cnt];
        }
        write(b, 0, cnt);
    }

    /** Mirrors io.c:write_varlong(). */
    public void writeVarlong(long x, int minBytes) throws IOException {
        byte[] b = new byte[9];
        for (int i = 0; i < 8; i++) {
            b[i + 1] = (byte) (x >>> (8 * i));
        }
        int cnt = 8;
        while (cnt > minBytes && b[cnt] == 0) {
            cnt--;
        }
        int bit = 1 << (7 - cnt + minBytes);
        if ((b[cnt] & 0xFF) >= bit) {
            cnt++;
            b[0] = (byte) ~(bit - 1);
        } else if (cnt > minBytes) {
            b[0] = (byte) (b[cnt] | ~(bit * 2 - 1));
        } else {
            b[0] = b[cnt];
        }
        write(b, 0, cnt);
    }

    public void writeVarint30(int x) throws IOException {
        if (protocol < 30) {
            writeInt(x);
        } else {
            writeVarint(x);
        }
    }

    public void writeVarlong30(long x, int minBytes) throws IOException {
        if (protocol < 30) {
            writeLongint(x);
        } else {
            writeVarlong(x, minBytes);
        }
    }

    public void writeVstring(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0x7FFF) {
            throw new IllegalArgumentException("vstring length: " + b.length + " (expected: <= 32767)");
        }
        if (b.length > 0x7F) {
            writeByte(0x80 | b.length >>> 8);
        }
        writeByte(b.length & 0xFF);
        write(b);
    }

    /** Mirrors io.c:write_ndx(). */
    public void writeNdx(int ndx) throws IOException {
        if (protocol < 30) {
            writeInt(ndx);
            return;
        }
        if (ndx == Ndx.DONE) {
            writeByte(0);
            return;
        }
        int cnt = 0;
        int diff;
        int value;
        if (ndx >= 0) {
            value = ndx;
            diff = ndx - prevPositive;
            prevPositive = ndx;
        } else {
            scratch[cnt++] = (byte) 0xFF;
            value = -ndx;
            diff = value - prevNegative;
            prevNegative = value;
        }
        if (diff > 0 && diff < 0xFE) {
            scratch[cnt++] = (byte) diff;
        } else if (diff < 0 || diff > 0x7FFF) {
            scratch[cnt++] = (byte) 0xFE;
            scratch[cnt++] = (byte) ((value >>> 24) | 0x80);
            scratch[cnt++] = (byte) value;
            scratch[cnt++] = (byte) (value >>> 8);
            scratch[cnt++] = (byte) (value >>> 16);
        } else {
            scratch[cnt++] = (byte) 0xFE;
            scratch[cnt++] = (byte) (diff >>> 8);
            scratch[cnt++] = (byte) diff;
        }
        write(scratch, 0, cnt);
    }
}
