package dev.jrsync.client;

import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.session.SessionLog;

import java.io.PrintStream;

/** The client's terminal output: info on stdout, errors on stderr, like rsync. Thread-safe. */
final class ConsoleLog implements SessionLog {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean itemize;
    private final boolean logDeletes;
    private final boolean quiet;

    ConsoleLog(PrintStream out, PrintStream err, TransferOptions o) {
        this.out = out;
        this.err = err;
        this.itemize = o.itemize;
        this.logDeletes = o.logsItems();
        this.quiet = o.quiet;
    }

    @Override
    public synchronized void info(String line) {
        if (!quiet) {
            out.println(line);
            out.flush();
        }
    }

    @Override
    public synchronized void warning(String line) {
        err.println(line);
        err.flush();
    }

    @Override
    public synchronized void transferError(String line) {
        err.println(line);
        err.flush();
    }

    @Override
    public synchronized void error(String line) {
        err.println(line);
        err.flush();
    }

    @Override
    public synchronized void deleted(String name, boolean isDir) {
        if (logDeletes) {
            out.println((itemize ? "*deleting   " : "deleting ") + name + (isDir ? "/" : ""));
            out.flush();
        }
    }
}
