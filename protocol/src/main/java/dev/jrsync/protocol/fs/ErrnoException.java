package dev.jrsync.protocol.fs;

import java.io.IOException;

/**
 * A system call on a confined path failed. The message reads like rsync's:
 * {@code mkdir "a/b" failed: No such file or directory (2)}. Immutable; thread-safe.
 */
public class ErrnoException extends IOException {
    private final String op;
    private final String path;
    private final int errno;

    public ErrnoException(String op, String path, int errno) {
        super(op + " \"" + path + "\" failed: " + Libc.strerror(errno) + " (" + errno + ")");
        this.op = op;
        this.path = path;
        this.errno = errno;
    }

    /** The operation, e.g. "mkdir" or "rename". */
    public String op() {
        return op;
    }

    /** The root-relative name the operation was asked for. */
    public String path() {
        return path;
    }

    public int errno() {
        return errno;
    }
}
