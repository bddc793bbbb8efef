package dev.jrsync.protocol.checksum;

import java.util.Objects;

/**
 * The session's checksum choice and everything that changes how it is computed: protocol
 * version, checksum seed (§2.4), CF_CHKSUM_SEED_FIX, and whether the type was negotiated or
 * implied. Immutable and thread-safe; the hashers and digests it creates are not.
 *
 * @param type            the transfer checksum
 * @param protocol        negotiated protocol version, at least 27
 * @param seed            the session checksum seed as sent (int32)
 * @param properSeedOrder compat flag CF_CHKSUM_SEED_FIX
 * @param negotiated      the type came from string negotiation rather than the protocol default
 */
public record ChecksumProfile(ChecksumType type, int protocol, int seed, boolean properSeedOrder, boolean negotiated) {

    public ChecksumProfile {
        Objects.requireNonNull(type, "type");
        // 21-26 need MD4 with rsync's pre-2.6.0 padding bug, which BouncyCastle cannot reproduce.
        if (protocol < 27) {
            throw new IllegalArgumentException("protocol: " + protocol + " (expected: >= 27)");
        }
    }

    /** The checksum used when nothing was negotiated: MD5 from protocol 30, MD4 before. */
    public static ChecksumProfile implied(int protocol, int seed, boolean properSeedOrder) {
        return new ChecksumProfile(protocol >= 30 ? ChecksumType.MD5 : ChecksumType.MD4,
                protocol, seed, properSeedOrder, false);
    }

    public int digestLength() {
        return type.digestLength();
    }

    /** Strong block sums (§7.6). Mirrors checksum.c:get_checksum2(). */
    public BlockHasher newBlockHasher() {
        return switch (type) {
            case XXH64, XXH3, XXH128 -> new XxhBlockHasher(type, seed);
            // A negotiated md5/sha1 goes through OpenSSL's EVP path in 3.5.0, which always puts the
            // seed first; an implied MD5 follows the compat flag (peers before 3.1.2 put it last).
            case MD5 -> new SeededBlockHasher(StrongDigest.of(type), seed,
                    negotiated || properSeedOrder ? SeededBlockHasher.Placement.BEFORE : SeededBlockHasher.Placement.AFTER);
            case SHA1 -> new SeededBlockHasher(StrongDigest.of(type), seed, SeededBlockHasher.Placement.BEFORE);
            // Implied MD4 (MD4_OLD) and stock 3.5.0's built-in negotiated MD4 both append the seed.
            case MD4 -> new SeededBlockHasher(StrongDigest.of(type), seed, SeededBlockHasher.Placement.AFTER);
            case NONE -> (buf, off, len, out) -> out[0] = 0;
        };
    }

    /** The whole-file checksum sent after each file's tokens (§7.7). Mirrors checksum.c:sum_init(). */
    public FileDigest newFileDigest() {
        // Protocols before 30 use MD4_OLD, which prepends the seed even when it is 0.
        if (type == ChecksumType.MD4 && !negotiated && protocol < 30) {
            return new PlainDigest(StrongDigest.of(type), le32(seed));
        }
        return newListDigest();
    }

    /** The {@code --checksum} file-list checksum (§7.7): same algorithm, never seeded. Mirrors checksum.c:file_checksum(). */
    public FileDigest newListDigest() {
        return switch (type) {
            case XXH64, XXH3, XXH128 -> XxhStreams.of(type);
            case MD5, MD4, SHA1 -> new PlainDigest(StrongDigest.of(type), null);
            case NONE -> new NoDigest();
        };
    }

    static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private static final class PlainDigest implements FileDigest {
        private final StrongDigest digest;
        private final byte[] prefix;

        PlainDigest(StrongDigest digest, byte[] prefix) {
            this.digest = digest;
            this.prefix = prefix;
            start();
        }

        private void start() {
            if (prefix != null) {
                digest.update(prefix, 0, prefix.length);
            }
        }

        @Override
        public void update(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }

        @Override
        public byte[] finish() {
            byte[] out = new byte[digest.length()];
            digest.finish(out, 0);
            start();
            return out;
        }
    }

    private static final class NoDigest implements FileDigest {
        @Override
        public void update(byte[] b, int off, int len) {
            // "none" sends a single zero byte whatever the data.
        }

        @Override
        public byte[] finish() {
            return new byte[1];
        }
    }
}
