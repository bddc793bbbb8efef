package dev.jrsync.transport;

import dev.jrsync.protocol.wire.Duplex;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pipes of a child process (main.c:piped_child()): the remote shell's stdout is our input, its
 * stdin our output; its stderr is ours, so ssh's and the remote rsync's messages reach the user
 * directly. {@link #close()} closes the pipes without waiting; {@link #finish} waits for the exit
 * status. Thread-safe.
 */
public final class ProcessDuplex implements Duplex {
    private final Process process;
    private final StreamDuplex pipes;

    private ProcessDuplex(Process process) {
        this.process = process;
        this.pipes = new StreamDuplex(process.getInputStream(),
                new BufferedOutputStream(process.getOutputStream(), 64 * 1024));
    }

    /**
     * Starts {@code argv}. Failing to start it is rsync's "Failed to exec" (exit 14), reported by
     * the caller from the IOException.
     */
    public static ProcessDuplex start(List<String> argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ProcessDuplex(pb.start());
    }

    @Override
    public InputStream input() {
        return pipes.input();
    }

    @Override
    public OutputStream output() {
        return pipes.output();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        pipes.close();
    }

    /**
     * Ends the conversation: our output is closed (the child reads end of file), then the child is
     * given up to {@code waitMillis} to exit, then our input is closed. Returns the exit status
     * (128 + signal when killed, as a shell reports it), or -1 when it was still running, in which
     * case it is killed.
     */
    public int finish(long waitMillis) {
        try {
            pipes.output().close();
        } catch (IOException ignored) {
            // The child is gone; its exit status tells why.
        }
        try {
            if (process.waitFor(waitMillis, TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
        process.destroyForcibly();
        return -1;
    }

    /** The exit status if the child has already exited, else -1 (never waits). */
    public int exitStatusIfDone() {
        return process.isAlive() ? -1 : process.exitValue();
    }
}
