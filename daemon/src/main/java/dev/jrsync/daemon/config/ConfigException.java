package dev.jrsync.daemon.config;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A fatal rsyncd.conf error: stock rsync refuses every connection (and the daemon exits with code 1 at start)
 * when its config parser fails. The message has the form {@code rsync: <file>:<line>: <what>}.
 * Immutable.
 */
public final class ConfigException extends IOException {
    /** Exit code of a daemon whose config cannot be loaded (RERR_SYNTAX). */
    public static final int EXIT_CODE = 1;

    private final Path file;
    private final int line;

    public ConfigException(Path file, int line, String what) {
        super("rsync: " + (file == null ? "<config>" : file.toString()) + ":" + line + ": " + what);
        this.file = file;
        this.line = line;
    }

    /** The file in which the error was found (may be an included file). */
    public Path file() {
        return file;
    }

    /** 1-based line number of the offending construct, 0 when the error concerns the whole file. */
    public int line() {
        return line;
    }
}
