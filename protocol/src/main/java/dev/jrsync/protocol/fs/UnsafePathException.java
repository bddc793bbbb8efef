package dev.jrsync.protocol.fs;

import java.io.IOException;

/**
 * A name or a symlink would lead outside the confining root, or the name is malformed
 * ({@code ..}, absolute, NUL, empty component). Nothing was touched. Immutable; thread-safe.
 */
public class UnsafePathException extends IOException {
    private final String path;

    public UnsafePathException(String path, String reason) {
        super("unsafe path \"" + path.replace("\0", "\\0") + "\": " + reason);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
