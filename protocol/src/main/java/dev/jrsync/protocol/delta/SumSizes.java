package dev.jrsync.protocol.delta;

/**
 * Block length and strong-sum length for a basis file (§7.3). Mirrors
 * generator.c:sum_sizes_sqroot(). Stateless and thread-safe.
 */
public final class SumSizes {
    /** rsync's BLOCK_SIZE: the block length of files up to 700*700 bytes. */
    public static final int BLOCK_SIZE = 700;
    private static final int SHORT_SUM_LENGTH = 2;
    private static final int SUM_LENGTH = 16;
    private static final int BLOCKSUM_BIAS = 10;

    private SumSizes() {
    }

    /**
     * @param fileLength         length of the basis, >= 0
     * @param protocol           negotiated protocol
     * @param blockSizeOverride  {@code --block-size}, 0 for none
     * @param digestLength       full length of the transfer checksum
     * @param redo               second attempt after a failed verification (§7.8): full-length sums
     * @throws IllegalArgumentException for a negative length, an override above the protocol's
     *         maximum, or more blocks than fit an int32
     */
    public static SumHead forLength(long fileLength, int protocol, int blockSizeOverride, int digestLength, boolean redo) {
        if (fileLength < 0) {
            throw new IllegalArgumentException("file length: " + fileLength + " (expected: >= 0)");
        }
        int max = SumHead.maxBlockLength(protocol);
        if (blockSizeOverride < 0 || blockSizeOverride > max) {
            throw new IllegalArgumentException("block size: " + blockSizeOverride + " (expected: 0.." + max + ")");
        }
        int blength;
        if (blockSizeOverride > 0) {
            blength = blockSizeOverride;
        } else if (fileLength <= (long) BLOCK_SIZE * BLOCK_SIZE) {
            blength = BLOCK_SIZE;
        } else {
            blength = squareRootBlock(fileLength, max);
        }

        int s2length;
        if (protocol < 27) {
            s2length = redo ? SUM_LENGTH : SHORT_SUM_LENGTH;
        } else if (redo) {
            s2length = Math.min(SUM_LENGTH, digestLength);
        } else {
            // Enough bits that a false match is unlikely over the whole file: grows with
            // 2*log2(length) and shrinks with log2(block length); the 32 weak bits count too.
            int b = BLOCKSUM_BIAS + 2 * log2(fileLength);
            b = Math.max(0, b - log2(blength));
            s2length = (b + 1 - 32 + 7) / 8;
            s2length = Math.min(Math.max(s2length, SHORT_SUM_LENGTH), Math.min(SUM_LENGTH, digestLength));
        }

        int remainder = (int) (fileLength % blength);
        long count = fileLength / blength + (remainder != 0 ? 1 : 0);
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("file length: " + fileLength + " (expected: at most "
                    + (long) Integer.MAX_VALUE * blength + " for block length " + blength + ")");
        }
        return new SumHead((int) count, blength, s2length, remainder);
    }

    /** floor(sqrt(length)) rounded down to a multiple of 8, capped at {@code max}, at least BLOCK_SIZE. */
    private static int squareRootBlock(long length, int max) {
        long c = 1;
        for (long l = length >>> 2; l != 0; l >>>= 2) {
            c <<= 1;
        }
        if (c >= max) {
            return max;
        }
        long blength = 0;
        for (; c >= 8; c >>= 1) {
            blength |= c;
            if (length < blength * blength) {
                blength &= ~c;
            }
        }
        return (int) Math.max(blength, BLOCK_SIZE);
    }

    private static int log2(long v) {
        return v <= 1 ? 0 : 63 - Long.numberOfLeadingZeros(v);
    }
}
