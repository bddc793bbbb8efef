package dev.jrsync.interop.support;

import java.nio.file.Path;

/**
 * A remote shell for the {@code -e} option (rsync's {@code RSYNC_RSH}): the command string a client runs to reach
 * {@link #host()}, where the far side's rsync is started by that shell. Implementations are immutable once started
 * and thread-safe.
 */
public interface Rsh {

    /** The value for {@code -e}: a program path and options, separated by spaces, without shell quoting. */
    String command();

    /** The host name to put before the colon of a remote path. */
    String host();

    /** Short name for test display names and messages ("standin", "ssh"). */
    String name();

    /** {@code HOST:PATH}, with a trailing slash if {@code slash} (copy the directory's contents). */
    default String remote(Path path, boolean slash) {
        return host() + ":" + path + (slash ? "/" : "");
    }
}
