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

    /**
     * rsync's rendering of why {@code e} failed, "strerror (errno)": the errno this class carries, or
     * the one java.nio's exception type stands for; other messages are returned as they are. The one
     * home for turning an I/O exception into rsync's wording.
     */
    public static String describe(java.io.IOException e) {
        if (e instanceof ErrnoException x) {
            return Libc.strerror(x.errno) + " (" + x.errno + ")";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory (2)";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied (13)";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "File exists (17)";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            return "Directory not empty (39)";
        }
        if (e instanceof java.nio.file.NotDirectoryException
                || e instanceof java.nio.file.FileSystemException f && "Not a directory".equals(f.getReason())) {
            return "Not a directory (20)";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
    }
}
