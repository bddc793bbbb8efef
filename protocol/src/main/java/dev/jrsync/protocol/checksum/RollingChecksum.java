package dev.jrsync.protocol.checksum;

/**
 * rsync's weak rolling checksum (sum1) over signed bytes, CHAR_OFFSET 0: {@code s1 = sum x_i},
 * {@code s2 = sum (n - i) x_i}, {@code sum1 = (s1 & 0xFFFF) | (s2 << 16)}. {@link #of} mirrors
 * checksum.c:get_checksum1(); {@link #roll} and {@link #trimFront} are the sliding steps of
 * match.c:hash_search(). Only the low 16 bits of each half reach sum1 and every step is a ring
 * operation mod 2^16 on each half, so the sum1 value itself is the whole rolling state and the
 * steps are pure functions that allocate nothing. Stateless and thread-safe.
 */
public final class RollingChecksum {
    private RollingChecksum() {
    }

    /** sum1 of {@code b[off, off+len)}. */
    public static int of(byte[] b, int off, int len) {
        int s1 = 0;
        int s2 = 0;
        for (int i = off, end = off + len; i < end; i++) {
            s1 += b[i];
            s2 += s1;
        }
        return (s1 & 0xFFFF) | (s2 << 16);
    }

    /**
     * Slides a window of {@code length} bytes one byte on: {@code out} leaves at the front,
     * {@code in} enters at the back. Returns the new window's sum1.
     */
    public static int roll(int sum1, int length, byte out, byte in) {
        int s1 = (sum1 + in - out) & 0xFFFF;
        int s2 = ((sum1 >>> 16) - length * out + s1) & 0xFFFF;
        return s1 | (s2 << 16);
    }

    /**
     * Removes the front byte {@code out} of a window of {@code length} bytes without adding one (the
     * window shrinks at the end of the file). Returns the sum1 of the remaining {@code length - 1} bytes.
     */
    public static int trimFront(int sum1, int length, byte out) {
        int s1 = (sum1 - out) & 0xFFFF;
        int s2 = ((sum1 >>> 16) - length * out) & 0xFFFF;
        return s1 | (s2 << 16);
    }
}
