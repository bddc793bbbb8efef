package dev.jrsync.client;

import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.session.SessionLog;

import java.io.PrintStream;

/**
 * The client's terminal output: info on stdout, errors on stderr, each line through rsync's output
 * filter (log.c:filtered_fwrite()). Thread-safe.
 */
final class ConsoleLog implements SessionLog {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean itemize;
    private final boolean logDeletes;
    private final boolean quiet;

    private final boolean utf8;

    ConsoleLog(PrintStream out, PrintStream err, TransferOptions o) {
        this(out, err, o, true);
    }

    /** {@code utf8}: the locale is UTF-8, so valid multibyte characters print as they are (log.c isprint). */
    ConsoleLog(PrintStream out, PrintStream err, TransferOptions o, boolean utf8) {
        this.utf8 = utf8;
        this.out = out;
        this.err = err;
        this.itemize = o.itemize;
        this.logDeletes = o.logsItems();
        this.quiet = o.quiet;
    }

    @Override
    public synchronized void info(String line) {
        if (!quiet) {
            out.println(shown(line));
            out.flush();
        }
    }

    @Override
    public synchronized void warning(String line) {
        err.println(shown(line));
        err.flush();
    }

    @Override
    public synchronized void transferError(String line) {
        err.println(shown(line));
        err.flush();
    }

    @Override
    public synchronized void error(String line) {
        err.println(shown(line));
        err.flush();
    }

    @Override
    public synchronized void deleted(String name, boolean isDir) {
        if (logDeletes) {
            out.println(shown((itemize ? "*deleting   " : "deleting ") + name + (isDir ? "/" : "")));
            out.flush();
        }
    }

    /** What rsync's output filter makes of a line (names with control or invalid bytes as \#ooo). */
    private String shown(String line) {
        return dev.jrsync.protocol.fs.NameBytes.printable(line, utf8);
    }
}
