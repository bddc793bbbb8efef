package dev.jrsync.daemon;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The daemon's log: the `log file` of rsyncd.conf (lines "YYYY/MM/DD HH:MM:SS [pid] text", as
 * rsyncd writes them) or stderr when none is configured. Thread-safe.
 */
public final class DaemonLog implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    private final Writer writer;
    private final boolean discard;
    private final long pid = ProcessHandle.current().pid();

    private DaemonLog(Writer writer) {
        this(writer, false);
    }

    private DaemonLog(Writer writer, boolean discard) {
        this.writer = writer;
        this.discard = discard;
    }

    /**
     * A log that keeps nothing: a daemon started over a remote shell without a "log file" (stock's goes
     * to syslog, which jrsync does not write yet; its stderr is the client user's terminal).
     */
    public static DaemonLog discard() {
        return new DaemonLog(null, true);
    }

    /**
     * Opens the log as log.c:logfile_open() does: through open_no_attacker_symlinks() (a planted symlink is
     * never followed), and when that fails the daemon says so on stderr and goes on without it (stock falls
     * back to syslog; jrsync to stderr).
     */
    public static DaemonLog open(Path file) {
        if (file == null) {
            return new DaemonLog(null);
        }
        try {
            return new DaemonLog(new java.io.OutputStreamWriter(
                    dev.jrsync.daemon.config.NoAttackerSymlinks.append(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            String reason = dev.jrsync.daemon.config.NoAttackerSymlinks.strerror(e);
            System.err.println("rsync: [daemon] failed to open log-file " + file + ": " + reason);
            System.err.println("Ignoring \"log file\" setting.");
            return new DaemonLog(null);
        }
    }

    public synchronized void log(String text) {
        if (discard) {
            return;
        }
        String line = TIME.format(LocalDateTime.now()) + " [" + pid + "] " + sanitize(text);
        try {
            if (writer == null) {
                System.err.println(line);
            } else {
                writer.write(line);
                writer.write('\n');
                writer.flush();
            }
        } catch (IOException ignored) {
            // A full disk must not stop the daemon from serving.
        }
    }

    /** Control characters from peers (names, user names) are escaped so they cannot forge log lines. */
    static String sanitize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\#%03o", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public synchronized void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
