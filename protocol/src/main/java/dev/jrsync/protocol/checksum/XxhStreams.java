package dev.jrsync.protocol.checksum;

import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.Hashing;
import net.jpountz.xxhash.StreamingXXHash64;

/**
 * Incremental xxh64/xxh3/xxh128 with seed 0, for whole-file and file-list digests (rsync never
 * seeds those), from the same libraries as the block sums. {@link FileDigest#finish()} resets the
 * stream for the next file. Not thread-safe.
 */
final class XxhStreams {
    private XxhStreams() {
    }

    static FileDigest of(ChecksumType type) {
        return switch (type) {
            case XXH64 -> new FileDigest() {
                private final StreamingXXHash64 s = XxhBlockHasher.XXH64.newStreamingHash64(0);

                @Override
                public void update(byte[] b, int off, int len) {
                    s.update(b, off, len);
                }

                @Override
                public byte[] finish() {
                    byte[] out = new byte[8];
                    XxhBlockHasher.LONG_LE.set(out, 0, s.getValue());
                    s.reset();
                    return out;
                }
            };
            case XXH3 -> new FileDigest() {
                private final HashStream64 s = Hashing.xxh3_64().hashStream();

                @Override
                public void update(byte[] b, int off, int len) {
                    s.putBytes(b, off, len);
                }

                @Override
                public byte[] finish() {
                    byte[] out = new byte[8];
                    XxhBlockHasher.LONG_LE.set(out, 0, s.getAsLong());
                    s.reset();
                    return out;
                }
            };
            case XXH128 -> new FileDigest() {
                private final HashStream128 s = Hashing.xxh3_128().hashStream();

                @Override
                public void update(byte[] b, int off, int len) {
                    s.putBytes(b, off, len);
                }

                @Override
                public byte[] finish() {
                    byte[] out = new byte[16];
                    XxhBlockHasher.store(s.get(), out);
                    s.reset();
                    return out;
                }
            };
            default -> throw new IllegalArgumentException("not an xxhash checksum: " + type);
        };
    }
}
