package dev.jrsync.protocol.checksum;

import net.openhft.hashing.LongHashFunction;
import net.openhft.hashing.LongTupleHashFunction;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The streaming xxh64/xxh3/xxh128 (lz4-java, hash4j) against an independent implementation's one-shot results
 * (zero-allocation-hashing, a test-only dependency), for every length class and split.
 */
class XxhStreamTest {

    private static byte[] le64(long... v) {
        ByteBuffer bb = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            bb.putLong(x);
        }
        return bb.array();
    }

    private static void check(byte[] in, Random r) {
        long[] wide = LongTupleHashFunction.xx128(0).hashBytes(in);
        byte[] want128 = le64(wide[0], wide[1]);
        byte[] want3 = le64(LongHashFunction.xx3(0).hashBytes(in));
        byte[] want64 = le64(LongHashFunction.xx(0).hashBytes(in));
        FileDigest[] ds = {XxhStreams.of(ChecksumType.XXH128), XxhStreams.of(ChecksumType.XXH3), XxhStreams.of(ChecksumType.XXH64)};
        byte[][] wants = {want128, want3, want64};
        for (int d = 0; d < ds.length; d++) {
            // Whole, then random pieces (including empty ones).
            ds[d].update(in, 0, in.length);
            assertArrayEquals(wants[d], ds[d].finish(), "len " + in.length + " whole, digest " + d);
            int off = 0;
            while (off < in.length) {
                int n = Math.min(in.length - off, r.nextInt(r.nextBoolean() ? 80 : 1500));
                ds[d].update(in, off, n);
                off += n;
            }
            assertArrayEquals(wants[d], ds[d].finish(), "len " + in.length + " pieces, digest " + d);
        }
    }

    @Test
    void everyLengthUpTo3000() {
        Random r = new Random(42);
        for (int len = 0; len <= 3000; len++) {
            byte[] in = new byte[len];
            r.nextBytes(in);
            check(in, r);
        }
    }

    @Test
    void blockBoundariesAndLargeInputs() {
        Random r = new Random(7);
        for (int len : new int[] {1024 * 16 - 1, 1024 * 16, 1024 * 16 + 1, 1024 * 16 + 64, 65536 * 3 + 17, 1_000_003}) {
            byte[] in = new byte[len];
            r.nextBytes(in);
            check(in, r);
        }
    }
}
