package dev.jrsync.interop.support;

import java.util.List;

/**
 * Values for {@code --rsync-path}: the command the remote shell runs to start the far side (rsync appends
 * {@code --server ...} to it). The remote shell's {@code sh} parses it, so it may be a command with arguments,
 * quoted for a POSIX shell. Stateless and thread-safe.
 */
public final class RsyncPath {

    private RsyncPath() {}

    /** The stock binary the suite runs ({@link StockRsync#binary()}), so the far side is the selected version. */
    public static String stock() {
        return Proc.quote(List.of(StockRsync.binary().toString()));
    }

    /** jrsync as the far side: this JVM's java launcher on the jrsync jar, as {@link Jrsync#command} runs it. */
    public static String jrsync() {
        return Proc.quote(Jrsync.command(List.of()));
    }

    /** The far side for {@code peer}. */
    public static String of(Peer peer) {
        return switch (peer) {
            case STOCK -> stock();
            case JRSYNC -> jrsync();
        };
    }
}
