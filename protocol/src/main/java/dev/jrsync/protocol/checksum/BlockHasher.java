package dev.jrsync.protocol.checksum;

/**
 * Computes the strong checksum (sum2) of one block, seeded as the session requires.
 * Reusable but not thread-safe: one instance per thread. Never blocks.
 */
@FunctionalInterface
public interface BlockHasher {
    /** Writes the full digest ({@link ChecksumProfile#digestLength()} bytes) of {@code buf[off, off+len)} to {@code out[0..]}. */
    void digest(byte[] buf, int off, int len, byte[] out);
}
