package dev.jrsync.protocol.checksum;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * xxh64/xxh3/xxh128 block sums. The 32-bit session seed is sign-extended to 64 bits and digests are
 * stored little-endian, xxh128 as low half then high half (checksum.c:get_checksum2(), verified
 * against rsync 3.2.7). xxh64 comes from lz4-java's safe instance, xxh3 and xxh128 from hash4j.
 * Not thread-safe.
 */
final class XxhBlockHasher implements BlockHasher {
    static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final XXHashFactory XXH64 = XXHashFactory.safeInstance();

    private final ChecksumType type;
    private final long seed;
    private final XXHash64 xxh64;
    private final Hasher64 xxh3;
    private final Hasher128 xxh128;

    XxhBlockHasher(ChecksumType type, int seed) {
        this.type = type;
        this.seed = seed;
        this.xxh64 = type == ChecksumType.XXH64 ? XXH64.hash64() : null;
        this.xxh3 = type == ChecksumType.XXH3 ? Hashing.xxh3_64(this.seed) : null;
        this.xxh128 = type == ChecksumType.XXH128 ? Hashing.xxh3_128(this.seed) : null;
        if (xxh64 == null && xxh3 == null && xxh128 == null) {
            throw new IllegalArgumentException("not an xxhash checksum: " + type);
        }
    }

    @Override
    public void digest(byte[] buf, int off, int len, byte[] out) {
        switch (type) {
            case XXH64 -> LONG_LE.set(out, 0, xxh64.hash(buf, off, len, seed));
            case XXH3 -> LONG_LE.set(out, 0, xxh3.hashBytesToLong(buf, off, len));
            default -> store(xxh128.hashBytesTo128Bits(buf, off, len), out);
        }
    }

    static void store(HashValue128 v, byte[] out) {
        LONG_LE.set(out, 0, v.getLeastSignificantBits());
        LONG_LE.set(out, 8, v.getMostSignificantBits());
    }
}
