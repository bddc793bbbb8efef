package dev.jrsync.protocol.checksum;

/**
 * md4/md5/sha1 block sums with the 4-byte little-endian session seed placed before or after the
 * block, or left out when the seed is 0. Mirrors checksum.c:get_checksum2(). Not thread-safe.
 */
final class SeededBlockHasher implements BlockHasher {
    enum Placement { BEFORE, AFTER }

    private final StrongDigest digest;
    private final byte[] seed;
    private final Placement placement;

    SeededBlockHasher(StrongDigest digest, int seed, Placement placement) {
        this.digest = digest;
        this.seed = seed == 0 ? null : ChecksumProfile.le32(seed);
        this.placement = placement;
    }

    @Override
    public void digest(byte[] buf, int off, int len, byte[] out) {
        if (seed != null && placement == Placement.BEFORE) {
            digest.update(seed, 0, 4);
        }
        digest.update(buf, off, len);
        if (seed != null && placement == Placement.AFTER) {
            digest.update(seed, 0, 4);
        }
        digest.finish(out, 0);
    }
}
