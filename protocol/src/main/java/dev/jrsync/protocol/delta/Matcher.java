package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.checksum.BlockHasher;
import dev.jrsync.protocol.checksum.ChecksumProfile;
import dev.jrsync.protocol.checksum.FileDigest;
import dev.jrsync.protocol.checksum.RollingChecksum;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sender's delta search (§7.11): slides a block-sized window over the source, looks its
 * rolling sum up among the receiver's blocks, confirms with one strong sum per position, and emits
 * literals and block matches. Mirrors match.c:hash_search(). Memory is bounded by the block length
 * plus fixed buffers whatever the file size. Not thread-safe (reuse sequentially); blocks on the
 * source and in the sink.
 */
public final class Matcher {
    /** Pending literal bytes are flushed at this size; a multiple of the 32 KiB wire chunk. */
    private static final int LITERAL_FLUSH = 256 * 1024;
    private static final int READ_AHEAD = 256 * 1024;
    /** As in 3.5.0: a hostile signature with many equal weak sums cannot make a position cost more. */
    private static final int MAX_CANDIDATES = 1024;

    private final Signature sig;
    private final ChecksumProfile profile;
    private final SumHead head;
    private final int count;
    private final int s2;
    // Open-addressed table of the distinct sum1 values; each slot heads a chain of blocks in
    // index order. The salt keeps a peer from choosing sums that collide in our probing.
    // Most positions match nothing, so a small bitmap of hashed sums (like match.c's tag table)
    // rejects them with one cache-resident load instead of a probe sequence.
    private final long[] filter;
    private final int filterShift;
    private final int[] keys;
    private final int[] heads;
    private final int[] next;
    private final int mask;
    private final int salt;
    private BlockHasher hasher;
    private byte[] strong;
    private long literalBytes;
    private long matchedBytes;

    public Matcher(Signature sig, ChecksumProfile profile) {
        this.sig = sig;
        this.profile = profile;
        this.head = sig.head();
        this.count = head.count();
        this.s2 = head.s2Length();
        if (s2 > profile.digestLength()) {
            throw new IllegalArgumentException("checksum length: " + s2 + " (expected: <= " + profile.digestLength() + ")");
        }
        int capacity = Integer.highestOneBit(Math.max(8, count) * 2 - 1) << 1;
        keys = new int[count == 0 ? 0 : capacity];
        heads = new int[keys.length];
        next = new int[count];
        mask = keys.length - 1;
        salt = ThreadLocalRandom.current().nextInt();
        Arrays.fill(heads, -1);
        int filterBits = Math.clamp(Integer.numberOfTrailingZeros(capacity) + 3, 16, 23);
        filter = new long[count == 0 ? 0 : 1 << (filterBits - 6)];
        filterShift = 32 - filterBits;
        int[] sum1 = sig.sum1();
        for (int i = count - 1; i >= 0; i--) {
            int bit = hash(sum1[i]) >>> filterShift;
            filter[bit >>> 6] |= 1L << bit;
            int slot = slot(sum1[i]);
            keys[slot] = sum1[i];
            next[i] = heads[slot];
            heads[slot] = i;
        }
    }

    private int hash(int sum) {
        return (sum ^ salt) * 0x9E3779B9;
    }

    /** The slot holding {@code sum}, or the empty slot where it would go. */
    private int slot(int sum) {
        int h = hash(sum);
        int s = (h ^ (h >>> 16)) & mask;
        while (heads[s] >= 0 && keys[s] != sum) {
            s = (s + 1) & mask;
        }
        return s;
    }

    /**
     * Streams exactly {@code length} bytes of {@code source}, emitting literals and matches to
     * {@code sink} (not the end marker), and returns the whole-file digest of the source (§7.7).
     *
     * @throws EOFException if the source ends before {@code length} bytes
     */
    public byte[] run(InputStream source, long length, TokenSink sink) throws IOException {
        literalBytes = 0;
        matchedBytes = 0;
        FileDigest digest = profile.newFileDigest();
        Window w = new Window(source, length, digest);
        if (count > 0 && length >= head.lastBlockLength()) {
            search(w, sink);
        }
        // The tail too short to hold a block, or everything when there is no basis.
        w.flushLiteral(sink, w.lim);
        while (w.remaining > 0) {
            w.compactAndRead();
            w.flushLiteral(sink, w.lim);
        }
        return digest.finish();
    }

    private void search(Window w, TokenSink sink) throws IOException {
        if (hasher == null) {
            hasher = profile.newBlockHasher();
            strong = new byte[profile.digestLength()];
        }
        final int blength = head.blockLength();
        final int[] sum1 = sig.sum1();
        final byte[] buf = w.buf;
        // Windows starting at or past here are shorter than any block (match.c's "end").
        final long end = w.length + 1 - head.lastBlockLength();
        // The per-byte loop keeps the window in locals and only syncs with w at "events":
        // refilling, flushing literal data, and matches.
        int pos = w.pos;
        int lim = 0;
        int stop = 0;
        int event = 0;
        int sum = 0;
        int k = 0;
        boolean fresh = true;
        int want = 0;
        while (true) {
            if (pos >= event) {
                w.pos = pos;
                if (pos - w.lit >= LITERAL_FLUSH) {
                    w.flushLiteral(sink, pos);
                }
                if (w.lim - pos <= blength && w.remaining > 0) {
                    w.compactAndRead();
                    pos = w.pos;
                }
                lim = w.lim;
                stop = (int) Math.min(end - w.base, Integer.MAX_VALUE);
                // Next time a refill or a literal flush may be due.
                int refill = w.remaining > 0 ? lim - blength : Integer.MAX_VALUE;
                event = Math.min(refill, w.lit + LITERAL_FLUSH);
            }
            if (pos >= stop) {
                break;
            }
            if (fresh) {
                k = (int) Math.min(blength, w.length - (w.base + pos));
                sum = RollingChecksum.of(buf, pos, k);
                fresh = false;
            }
            int bit = hash(sum) >>> filterShift;
            int slot;
            if ((filter[bit >>> 6] & (1L << bit)) != 0 && heads[slot = slot(sum)] >= 0) {
                int block = confirm(heads[slot], sum, buf, pos, k, want, sum1);
                if (block >= 0) {
                    w.pos = pos;
                    w.flushLiteral(sink, pos);
                    sink.match(block);
                    sink.matchedData(buf, pos, k);
                    matchedBytes += k;
                    pos += k;
                    w.pos = pos;
                    w.lit = pos;
                    want = block + 1;
                    fresh = true;
                    event = pos;
                    continue;
                }
            }
            // While more source follows the window it stays full-length (the buffer covers it).
            if (pos + k < lim) {
                sum = RollingChecksum.roll(sum, k, buf[pos], buf[pos + k]);
            } else {
                sum = RollingChecksum.trimFront(sum, k, buf[pos]);
                k--;
            }
            pos++;
        }
        w.pos = pos;
    }

    /** The block matching {@code buf[pos, pos+k)} among the chain from {@code first}, or -1. */
    private int confirm(int first, int sum, byte[] buf, int pos, int k, int want, int[] sum1) {
        boolean hashed = false;
        int candidates = 0;
        for (int i = first; i >= 0; i = next[i]) {
            if (head.blockLength(i) != k) {
                continue;
            }
            if (++candidates > MAX_CANDIDATES) {
                return -1;
            }
            if (!hashed) {
                hasher.digest(buf, pos, k, strong);
                hashed = true;
            }
            if (!strongEquals(i)) {
                continue;
            }
            // Prefer the block after the previous match: runs of consecutive blocks are what
            // the compressed token formats encode cheaply.
            if (i != want && want < count && sum1[want] == sum && head.blockLength(want) == k && strongEquals(want)) {
                return want;
            }
            return i;
        }
        return -1;
    }

    private boolean strongEquals(int block) {
        return Arrays.equals(strong, 0, s2, sig.sum2(), block * s2, block * s2 + s2);
    }

    /** Source bytes sent as literals by the last {@link #run}. */
    public long literalBytes() {
        return literalBytes;
    }

    /** Source bytes covered by block matches in the last {@link #run}. */
    public long matchedBytes() {
        return matchedBytes;
    }

    /**
     * The sliding view of the source: {@code buf[lit, pos)} is pending literal data,
     * {@code buf[pos, lim)} is read but not yet searched, {@code base} is the file offset of buf[0].
     */
    private final class Window {
        final InputStream source;
        final long length;
        final FileDigest digest;
        final byte[] buf;
        long base;
        long remaining;
        int lit;
        int pos;
        int lim;

        Window(InputStream source, long length, FileDigest digest) throws IOException {
            this.source = source;
            this.length = length;
            this.digest = digest;
            this.remaining = length;
            int blength = head.blockLength();
            // After compaction at most LITERAL_FLUSH + blength bytes are kept, leaving room to read
            // at least blength + 1 more: a full window plus the byte that rolls in.
            long size = (long) LITERAL_FLUSH + blength + Math.max(READ_AHEAD, blength + 1L);
            this.buf = new byte[(int) Math.min(size, Math.max(length, 1))];
            compactAndRead();
        }

        /** Drops flushed bytes and reads as much as fits, feeding the digest in file order. */
        void compactAndRead() throws IOException {
            if (lit > 0) {
                System.arraycopy(buf, lit, buf, 0, lim - lit);
                base += lit;
                pos -= lit;
                lim -= lit;
                lit = 0;
            }
            int want = (int) Math.min(buf.length - lim, remaining);
            int n = source.readNBytes(buf, lim, want);
            if (n < want) {
                throw new EOFException("source ended at " + (base + lim + n) + " bytes (expected: " + length + ")");
            }
            digest.update(buf, lim, n);
            lim += n;
            remaining -= n;
        }

        void flushLiteral(TokenSink sink, int upTo) throws IOException {
            if (upTo > lit) {
                sink.literal(buf, lit, upTo - lit);
                literalBytes += upTo - lit;
                lit = upTo;
            }
            if (pos < lit) {
                pos = lit;
            }
        }
    }
}
