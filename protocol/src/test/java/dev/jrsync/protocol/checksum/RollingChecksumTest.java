package dev.jrsync.protocol.checksum;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RollingChecksumTest {

    /** §7.5 written out literally: s1 = sum x_i, s2 = sum (n - i) x_i over signed bytes. */
    private static int naive(byte[] b, int off, int len) {
        long s1 = 0;
        long s2 = 0;
        for (int i = 0; i < len; i++) {
            int x = b[off + i];
            s1 += x;
            s2 += (long) (len - i) * x;
        }
        return (int) ((s1 & 0xFFFF) | ((s2 & 0xFFFF) << 16));
    }

    @Test
    void matchesDefinitionOnSignedBytes() {
        Random r = new Random(1);
        for (int len : new int[] {0, 1, 2, 3, 7, 700, 4096, 131072}) {
            byte[] b = new byte[len + 5];
            r.nextBytes(b);
            assertEquals(naive(b, 5, len), RollingChecksum.of(b, 5, len), "len " + len);
        }
    }

    @Test
    void highBytesCountAsNegative() {
        byte[] ff = {(byte) 0xFF, (byte) 0x80};
        // s1 = -1 + -128 = -129, s2 = 2*-1 + 1*-128 = -130
        assertEquals((-129 & 0xFFFF) | (-130 << 16), RollingChecksum.of(ff, 0, 2));
        assertEquals(naive(ff, 0, 2), RollingChecksum.of(ff, 0, 2));
    }

    @Test
    void rollingEqualsRecomputed() {
        Random r = new Random(2);
        byte[] b = new byte[5000];
        r.nextBytes(b);
        b[100] = (byte) 0x80;
        b[800] = (byte) 0x7F;
        for (int k : new int[] {1, 2, 700, 4999}) {
            int sum = RollingChecksum.of(b, 0, k);
            for (int off = 0; off + k < b.length; off++) {
                assertEquals(RollingChecksum.of(b, off, k), sum, "k " + k + " offset " + off);
                sum = RollingChecksum.roll(sum, k, b[off], b[off + k]);
            }
            // The window shrinks at the end of the file.
            int off = b.length - k;
            assertEquals(RollingChecksum.of(b, off, k), sum);
            for (int len = k; len > 0; len--, off++) {
                sum = RollingChecksum.trimFront(sum, len, b[off]);
                assertEquals(RollingChecksum.of(b, off + 1, len - 1), sum, "k " + k + " offset " + off);
            }
            assertEquals(0, sum);
        }
    }
}
