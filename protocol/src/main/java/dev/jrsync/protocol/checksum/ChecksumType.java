package dev.jrsync.protocol.checksum;

import java.util.Optional;

/**
 * The checksum algorithms rsync can negotiate (compat.c valid_checksums), in rsync 3.5.0's order of
 * preference. Immutable and thread-safe.
 */
public enum ChecksumType {
    XXH128("xxh128", 16),
    XXH3("xxh3", 8),
    XXH64("xxh64", 8),
    MD5("md5", 16),
    MD4("md4", 16),
    SHA1("sha1", 20),
    /** Strong sums are unused (whole-file transfers); the file digest is one zero byte. */
    NONE("none", 1);

    private final String wireName;
    private final int digestLength;

    ChecksumType(String wireName, int digestLength) {
        this.wireName = wireName;
        this.digestLength = digestLength;
    }

    /** The name used in the negotiation vstring. */
    public String wireName() {
        return wireName;
    }

    /** Bytes of a full digest (rsync's xfer_sum_len), also the whole-file checksum length. */
    public int digestLength() {
        return digestLength;
    }

    /** Looks a negotiated name up; {@code xxhash} is rsync's alias of {@code xxh64}. */
    public static Optional<ChecksumType> byName(String name) {
        if ("xxhash".equals(name)) {
            return Optional.of(XXH64);
        }
        for (ChecksumType t : values()) {
            if (t.wireName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
