package dev.jrsync.protocol.checksum;

/**
 * An incremental digest over a whole file (the checksum sent after each file's tokens, or the
 * {@code --checksum} file-list sum). Not thread-safe; never blocks. {@link #finish()} returns the
 * digest and leaves the instance ready for a new file with the same seeding.
 */
public interface FileDigest {
    void update(byte[] b, int off, int len);

    byte[] finish();
}
