package dev.jrsync.protocol.delta;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SumSizesTest {

    /** The §7.3 rules restated independently: exact integer square root, then bit arithmetic. */
    private static int expectedBlockLength(long len, int max) {
        if (len <= 490_000) {
            return 700;
        }
        long c = Long.highestOneBit(len);
        c = 1L << (Long.numberOfTrailingZeros(c) / 2);
        if (c >= max) {
            return max;
        }
        long root = (long) Math.sqrt((double) len);
        while (root * root > len) {
            root--;
        }
        while ((root + 1) * (root + 1) <= len) {
            root++;
        }
        return (int) Math.max(root & ~7L, 700);
    }

    @ParameterizedTest
    @CsvSource({
            // length, protocol, digest, count, blength, s2length, remainder
            "0, 32, 16, 0, 700, 2, 0",
            "1, 32, 16, 1, 700, 2, 1",
            "700, 32, 16, 1, 700, 2, 0",
            "490000, 32, 16, 700, 700, 2, 0",
            "490001, 32, 16, 701, 700, 2, 1",
            "100000, 32, 16, 143, 700, 2, 600",   // verified capture (§7.3 / Appendix A)
            "100000, 29, 16, 143, 700, 2, 600",
            "1073741824, 32, 16, 32768, 32768, 3, 0",
            "1073741824, 29, 16, 32768, 32768, 3, 0",
            "1099511627776, 32, 16, 8388608, 131072, 6, 0",
            "1099511627776, 29, 16, 1048576, 1048576, 5, 0",
            "1099511627776, 32, 8, 8388608, 131072, 6, 0",
    })
    void documentedSizes(long length, int protocol, int digest, int count, int blength, int s2, int remainder) {
        SumHead h = SumSizes.forLength(length, protocol, 0, digest, false);
        assertEquals(new SumHead(count, blength, s2, remainder), h);
        assertEquals(length, h.fileLength());
    }

    @Test
    void blockLengthAgreesWithSquareRootRule() {
        long[] lengths = {490_001, 1_000_000, 12_345_678, 99_999_999_999L, 1L << 34, (1L << 34) + 12345, 1L << 40,
                (1L << 40) - 1, 7L << 45};
        for (long len : lengths) {
            for (int proto : new int[] {29, 32}) {
                int max = proto < 30 ? 1 << 29 : 1 << 17;
                SumHead h = SumSizes.forLength(len, proto, 0, 16, false);
                assertEquals(expectedBlockLength(len, max), h.blockLength(), len + "/" + proto);
                assertEquals(len, h.fileLength(), len + "/" + proto);
            }
        }
    }

    @Test
    void s2LengthFormulaAndClamps() {
        // b = 10 + 2*floor(log2 L) - floor(log2 blength); s2 = (b + 1 - 32 + 7) / 8, within [2, min(16, digest)].
        for (long len : new long[] {1L << 20, 1L << 30, 1L << 36, 1L << 44}) {
            SumHead h = SumSizes.forLength(len, 32, 0, 16, false);
            int b = 10 + 2 * (63 - Long.numberOfLeadingZeros(len)) - (31 - Integer.numberOfLeadingZeros(h.blockLength()));
            assertEquals(Math.min(16, Math.max(2, (b - 24) / 8)), h.s2Length(), "len " + len);
        }
        assertEquals(9, SumSizes.forLength(1L << 58, 29, 0, 16, false).s2Length());
        assertEquals(8, SumSizes.forLength(1L << 58, 29, 0, 8, false).s2Length());
        assertEquals(16, SumSizes.forLength(100_000, 32, 0, 16, true).s2Length());
        assertEquals(16, SumSizes.forLength(100_000, 32, 0, 20, true).s2Length());
        assertEquals(8, SumSizes.forLength(100_000, 32, 0, 8, true).s2Length());
    }

    @Test
    void blockSizeOverride() {
        assertEquals(new SumHead(98, 1024, 2, 672), SumSizes.forLength(100_000, 32, 1024, 16, false));
        assertEquals(131072, SumSizes.forLength(1L << 30, 30, 1 << 17, 16, false).blockLength());
        assertThrows(IllegalArgumentException.class, () -> SumSizes.forLength(100, 30, (1 << 17) + 1, 16, false));
        assertEquals(1 << 29, SumSizes.forLength(1L << 30, 29, 1 << 29, 16, false).blockLength());
        assertThrows(IllegalArgumentException.class, () -> SumSizes.forLength(-1, 32, 0, 16, false));
    }

    @Test
    void countOverflowIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SumSizes.forLength(Long.MAX_VALUE, 32, 0, 16, false));
    }
}
