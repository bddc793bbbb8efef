package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;

/**
 * The sum header that precedes block checksums and token streams (§7.3). Immutable and thread-safe.
 *
 * @param count       number of blocks
 * @param blockLength bytes per block (the last one may be shorter)
 * @param s2Length    bytes of strong checksum kept per block
 * @param remainder   length of the last, partial block; 0 when the file is a multiple of blockLength
 */
public record SumHead(int count, int blockLength, int s2Length, int remainder) {
    /** No basis: a new file or a whole-file transfer. */
    public static final SumHead EMPTY = new SumHead(0, 0, 0, 0);

    /** rsync's MAX_BLOCK_SIZE (protocol 30+). */
    public static final int MAX_BLOCK_LENGTH = 1 << 17;
    /** rsync's OLD_MAX_BLOCK_SIZE (protocols before 30). */
    public static final int OLD_MAX_BLOCK_LENGTH = 1 << 29;
    /**
     * Most blocks accepted from a peer: 2^24 blocks of 2^17 bytes describe a 2 TiB basis, and stock
     * rsync cannot go much further either, since its default --max-alloc of 1 GiB caps its ~40-byte
     * per-block sum records near 2^24.7. At most 2^24 * (4 + 20) bytes = 384 MiB of sums.
     */
    public static final int MAX_COUNT = 1 << 24;

    public SumHead {
        if (count < 0 || blockLength < 0 || s2Length < 0 || remainder < 0 || remainder > blockLength
                || (count > 0 && blockLength == 0)) {
            throw new IllegalArgumentException("inconsistent sum head: " + count + "/" + blockLength + "/"
                    + s2Length + "/" + remainder);
        }
    }

    /** The largest block length a peer may send for {@code protocol}. */
    public static int maxBlockLength(int protocol) {
        return protocol < 30 ? OLD_MAX_BLOCK_LENGTH : MAX_BLOCK_LENGTH;
    }

    /** Length of the basis these sums describe. */
    public long fileLength() {
        return count == 0 ? 0 : (long) (count - 1) * blockLength + lastBlockLength();
    }

    /** Length of the last block (blockLength when remainder is 0). */
    public int lastBlockLength() {
        return remainder == 0 ? blockLength : remainder;
    }

    /** Length of block {@code i}. */
    public int blockLength(int i) {
        return i == count - 1 ? lastBlockLength() : blockLength;
    }

    /**
     * Reads and validates a header like 3.5.0's io.c:read_sum_head() (errors are exit 2 there too),
     * plus the {@link #MAX_COUNT} bound. Before protocol 27 s2length is not sent; it is then the
     * first-pass length 2. Blocks until the 12 or 16 bytes arrive.
     */
    public static SumHead read(WireInput in, int protocol, int maxS2Length) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_COUNT) {
            throw RsyncException.protocol("checksum count: " + count + " (expected: 0.." + MAX_COUNT + ")");
        }
        int blength = in.readInt();
        int max = maxBlockLength(protocol);
        if (blength < 0 || blength > max) {
            throw RsyncException.protocol("block length: " + blength + " (expected: 0.." + max + ")");
        }
        if (count > 0 && blength == 0) {
            throw RsyncException.protocol("block length: 0 (expected: > 0 with " + count + " blocks)");
        }
        int s2length = protocol < 27 ? 2 : in.readInt();
        if (s2length < 0 || s2length > maxS2Length) {
            throw RsyncException.protocol("checksum length: " + s2length + " (expected: 0.." + maxS2Length + ")");
        }
        int remainder = in.readInt();
        if (remainder < 0 || remainder > blength) {
            throw RsyncException.protocol("remainder length: " + remainder + " (expected: 0.." + blength + ")");
        }
        return new SumHead(count, blength, s2length, remainder);
    }

    /** Mirrors io.c:write_sum_head(); s2length is sent from protocol 27 on. May block. */
    public void write(WireOutput out, int protocol) throws IOException {
        out.writeInt(count);
        out.writeInt(blockLength);
        if (protocol >= 27) {
            out.writeInt(s2Length);
        }
        out.writeInt(remainder);
    }
}
