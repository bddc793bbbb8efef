package dev.jrsync.client;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.session.TransferResult;
import dev.jrsync.protocol.wire.Duplex;
import dev.jrsync.transport.ProcessDuplex;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A connection through a remote shell (main.c:do_cmd() and client_run()'s waiting on the child): the
 * shell runs with its stdin and stdout as our pipes; with -s the arguments follow over them first.
 * When the transfer is over the child's exit status counts as rsync counts it, the larger of the two
 * codes wins (so "command not found" on the far side is exit 127). One per transfer; not thread-safe.
 */
final class RemoteShellLink implements AutoCloseable {
    /** How long a finished transfer waits for the remote shell to exit before killing it. */
    private static final long FINISH_MILLIS = 30_000;
    /** How long a failed transfer waits for the child's status (it usually explains the failure). */
    private static final long FAILURE_MILLIS = 2_000;

    private final ProcessDuplex process;
    private final RemoteCommand command;
    private final String role;
    private final Counted duplex;

    private RemoteShellLink(ProcessDuplex process, RemoteCommand command, String role) {
        this.process = process;
        this.command = command;
        this.role = role;
        this.duplex = new Counted(process);
    }

    /** Starts the remote shell; a command that cannot be run is rsync's "Failed to exec" (exit 14). */
    static RemoteShellLink start(RemoteCommand command, String role) throws RsyncException {
        try {
            return new RemoteShellLink(ProcessDuplex.start(command.argv()), command, role);
        } catch (IOException e) {
            String why = e.getMessage() != null && e.getMessage().contains("error=2,")
                    ? "No such file or directory (2)" : e.getMessage() != null && e.getMessage().contains("error=13,")
                    ? "Permission denied (13)" : String.valueOf(e.getMessage());
            throw new RsyncException(ExitCode.RERR_IPC, "[" + role + "] Failed to exec " + command.argv().getFirst()
                    + ": " + why);
        }
    }

    Duplex duplex() {
        return duplex;
    }

    /** Sends the secluded arguments, runs {@code body}, then folds the child's exit status in. */
    TransferResult run(TransferBody body) throws IOException {
        TransferResult r;
        try {
            if (command.secluded() != null) {
                sendSecludedArgs(duplex.output());
            }
            r = body.run();
        } catch (RsyncException e) {
            int status = process.finish(FAILURE_MILLIS);
            int code = Math.max(e.exitCode(), status);
            String msg = e.getMessage();
            if (e.exitCode() == ExitCode.RERR_STREAMIO && msg != null && msg.startsWith("connection unexpectedly closed")
                    && !e.peerInformed()) {
                msg = "connection unexpectedly closed (" + duplex.received + " bytes received so far) [" + role + "]";
            }
            throw new RsyncException(code, msg, e, e.peerInformed());
        } catch (IOException e) {
            int status = process.finish(FAILURE_MILLIS);
            throw new RsyncException(Math.max(ExitCode.RERR_STREAMIO, status), "[" + role + "] " + e.getMessage(), e);
        }
        int status = process.finish(FINISH_MILLIS);
        if (status > r.exitCode()) {
            return new TransferResult(status, r.stats(), r.bytesSent(), r.bytesReceived(), r.protocol());
        }
        return r;
    }

    /** rsync.c:send_protected_args(): each argument NUL-terminated ("" sent as "."), then an empty one. */
    private void sendSecludedArgs(OutputStream out) throws IOException {
        for (String a : command.secluded()) {
            out.write((a.isEmpty() ? "." : a).getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        out.write(0);
        out.flush();
    }

    @Override
    public void close() {
        process.finish(0);
    }

    /** The process's pipes, counting what was read for rsync's "N bytes received so far". */
    private static final class Counted implements Duplex {
        private final ProcessDuplex d;
        private final InputStream in;
        private volatile long received;

        Counted(ProcessDuplex d) {
            this.d = d;
            this.in = new FilterInputStream(new java.io.BufferedInputStream(d.input(), 64 * 1024)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        received++;
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        received += n;
                    }
                    return n;
                }
            };
        }

        @Override
        public InputStream input() {
            return in;
        }

        @Override
        public OutputStream output() {
            return d.output();
        }

        @Override
        public void close() {
            d.close();
        }
    }
}
