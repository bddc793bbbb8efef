package dev.jrsync.protocol.session;

import dev.jrsync.protocol.fs.ErrnoException;

import java.io.IOException;
import java.io.InputStream;

/**
 * A file's data as the sender reads it (fileio.c:map_ptr()): when the file ends before the size
 * the file list announced (it shrank while being sent) or a read fails, the rest reads as zeros and
 * the reason is kept, so the transfer goes on and the sender reports "read errors mapping" (exit
 * 23) instead of dropping the session. Confined to the sender's thread.
 */
final class MapPtr extends InputStream {
    private final InputStream in;
    private final long length;
    private long position;
    private String error;

    MapPtr(InputStream in, long length) {
        this.in = in;
        this.length = length;
    }

    /** Why some of the data read as zeros ("No data available (61)"), or null. */
    String error() {
        return error;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (position >= length) {
            return -1;
        }
        int want = (int) Math.min(len, length - position);
        int n;
        if (error != null) {
            n = -1;
        } else {
            try {
                n = in.read(b, off, want);
            } catch (IOException e) {
                error = ErrnoException.describe(e);
                n = -1;
            }
        }
        if (n < 0) {
            if (error == null) {
                error = "No data available (61)"; // a short read: map_ptr()'s ENODATA
            }
            java.util.Arrays.fill(b, off, off + want, (byte) 0);
            n = want;
        }
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
