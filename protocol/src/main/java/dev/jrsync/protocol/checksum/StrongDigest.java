package dev.jrsync.protocol.checksum;

import org.bouncycastle.crypto.digests.MD4Digest;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The cryptographic digests behind md4/md5/sha1, behind one small interface so that seeding is
 * written once. MD4 comes from BouncyCastle because the JDK does not ship it.
 * Not thread-safe; never blocks.
 */
sealed interface StrongDigest {
    void update(byte[] b, int off, int len);

    /** Writes the digest to {@code out[off..]} and resets. */
    void finish(byte[] out, int off);

    int length();

    static StrongDigest of(ChecksumType type) {
        return switch (type) {
            case MD4 -> new Md4();
            case MD5 -> new Jdk("MD5");
            case SHA1 -> new Jdk("SHA-1");
            default -> throw new IllegalArgumentException("not a cryptographic checksum: " + type);
        };
    }

    final class Jdk implements StrongDigest {
        private final MessageDigest md;

        Jdk(String algorithm) {
            try {
                md = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("JDK lacks " + algorithm, e);
            }
        }

        @Override
        public void update(byte[] b, int off, int len) {
            md.update(b, off, len);
        }

        @Override
        public void finish(byte[] out, int off) {
            try {
                md.digest(out, off, md.getDigestLength());
            } catch (DigestException e) {
                throw new IllegalArgumentException("digest output: " + (out.length - off)
                        + " bytes (expected: >= " + md.getDigestLength() + ")", e);
            }
        }

        @Override
        public int length() {
            return md.getDigestLength();
        }
    }

    final class Md4 implements StrongDigest {
        private final MD4Digest md = new MD4Digest();

        @Override
        public void update(byte[] b, int off, int len) {
            md.update(b, off, len);
        }

        @Override
        public void finish(byte[] out, int off) {
            md.doFinal(out, off);
        }

        @Override
        public int length() {
            return md.getDigestSize();
        }
    }
}
