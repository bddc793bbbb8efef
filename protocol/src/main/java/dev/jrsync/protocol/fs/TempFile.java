package dev.jrsync.protocol.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A receiver's temporary file beside its target: written through {@link #channel()}, then either
 * committed (renamed over the final name atomically) or removed by {@link #close()}, so a failed
 * transfer never leaves it behind. The directory it lives in is held by descriptor, so a later swap of
 * that directory's name cannot redirect the rename or the unlink. Not thread-safe; blocking.
 */
public final class TempFile implements Closeable {
    private final ConfinedRoot root;
    private final String name;
    private final String relPath;
    private final FileChannel channel;
    private int dirFd;
    private boolean committed;

    TempFile(ConfinedRoot root, int dirFd, String name, String relPath, FileChannel channel) {
        this.root = root;
        this.dirFd = dirFd;
        this.name = name;
        this.relPath = relPath;
        this.channel = channel;
    }

    /** The temporary file's root-relative name, e.g. "dir/.file.a1B2c3". */
    public String relPath() {
        return relPath;
    }

    public FileChannel channel() {
        return channel;
    }

    /** Closes the channel and renames the file over {@code finalRel} atomically, without an fsync. */
    public void commit(String finalRel) throws IOException {
        commit(finalRel, false);
    }

    /**
     * Closes the channel (after an fsync when {@code force}) and renames the file over {@code finalRel}
     * atomically. If this throws, the file is still there and {@link #close()} removes it.
     */
    public void commit(String finalRel, boolean force) throws IOException {
        if (committed || dirFd < 0) {
            throw new IOException("temporary file \"" + relPath + "\" already " + (committed ? "committed" : "closed"));
        }
        if (force) {
            channel.force(true);
        }
        channel.close();
        root.renameFrom(dirFd, name, relPath, finalRel);
        committed = true;
        Libc.close(dirFd);
        dirFd = -1;
    }

    /** Without a commit: closes the channel and unlinks the file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (dirFd < 0) {
            return;
        }
        try {
            channel.close();
        } finally {
            int r = Libc.unlinkat(dirFd, name, 0);
            Libc.close(dirFd);
            dirFd = -1;
            if (r < 0 && r != -Libc.ENOENT) {
                throw new ErrnoException("unlink", relPath, -r);
            }
        }
    }
}
