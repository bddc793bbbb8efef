package dev.jrsync.interop.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs external commands for interop tests: stdin closed, stdout and stderr captured, a hard timeout after which the
 * whole process tree is killed by PID.
 *
 * <p>Stateless and thread-safe; {@link #run} blocks until the command exits or its timeout expires.
 *
 * <p>Every child inherits this JVM's environment <em>minus</em> variables starting with {@code RSYNC_} (so a
 * developer's {@code RSYNC_PASSWORD}, {@code RSYNC_RSH} or {@code RSYNC_PROXY} cannot leak into a test), plus the
 * given {@code env} entries.
 */
public final class Proc {

    /** Upper bound on how long we wait for a killed tree to be reaped before giving up on it. */
    private static final Duration REAP_BOUND = Duration.ofSeconds(10);

    private Proc() {}

    /** Outcome of a finished command. Immutable. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {
        public Result {
            command = List.copyOf(command);
        }

        /** The command line, shell-quoted where needed, for failure messages. */
        public String commandLine() {
            return quote(command);
        }

        /** Returns this result if the exit code is {@code expected}, otherwise fails with everything captured. */
        public Result expectExit(int expected) {
            if (exitCode != expected) {
                throw new AssertionError("exit code: " + exitCode + " (expected: " + expected + ")\n" + describe());
            }
            return this;
        }

        /** Shorthand for {@code expectExit(0)}. */
        public Result expectSuccess() {
            return expectExit(0);
        }

        /** Command, exit code, elapsed time and both streams, for assertion messages. */
        public String describe() {
            return "command: " + commandLine() + "\nexit code: " + exitCode + " after " + elapsed.toMillis() + " ms"
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    /**
     * Runs {@code command} in {@code workDir} (null: this JVM's working directory) and waits for it.
     *
     * @throws AssertionError if it does not finish within {@code timeout}; the process tree has been killed by then
     *         and the message carries the command line and the output captured so far
     */
    public static Result run(List<String> command, Map<String, String> env, Path workDir, Duration timeout)
            throws IOException, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long start = System.nanoTime();
        Process process = builder(command, env, workDir).start();
        process.getOutputStream().close();
        // Both pipes are drained concurrently so a child blocked on a full stderr pipe cannot stall stdout (or v.v.).
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        boolean finished;
        try {
            finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            destroyTree(process.toHandle(), Duration.ZERO);
            throw e;
        }
        if (!finished) {
            destroyTree(process.toHandle(), Duration.ZERO);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms; process tree killed\ncommand: "
                    + quote(command) + "\n--- stdout so far ---\n" + partial(out) + "\n--- stderr so far ---\n"
                    + partial(err) + "\n(elapsed " + elapsed.toMillis() + " ms)");
        }
        // The direct child has exited, but a grandchild that inherited the pipes could keep them open: bound that.
        String stdout = text(out, command);
        String stderr = text(err, command);
        return new Result(command, process.exitValue(), stdout, stderr,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Starts a long-running command (a daemon) with stdout and stderr appended to the given files.
     * The caller owns the returned handle and must {@link Running#stop stop} it.
     */
    public static Running start(List<String> command, Map<String, String> env, Path workDir, Path stdoutFile,
            Path stderrFile) throws IOException {
        ProcessBuilder pb = builder(command, env, workDir)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdoutFile.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrFile.toFile()));
        Process process = pb.start();
        process.getOutputStream().close();
        return new Running(List.copyOf(command), process, stdoutFile, stderrFile);
    }

    /**
     * A started long-running process. {@link #stop} may be called from any thread, more than once.
     */
    public static final class Running {
        private final List<String> command;
        private final Process process;
        private final Path stdoutFile;
        private final Path stderrFile;

        private Running(List<String> command, Process process, Path stdoutFile, Path stderrFile) {
            this.command = command;
            this.process = process;
            this.stdoutFile = stdoutFile;
            this.stderrFile = stderrFile;
        }

        public long pid() {
            return process.pid();
        }

        public ProcessHandle handle() {
            return process.toHandle();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        public List<String> command() {
            return command;
        }

        /** Everything the process wrote to stdout so far. */
        public String stdout() {
            return readQuietly(stdoutFile);
        }

        /** Everything the process wrote to stderr so far. */
        public String stderr() {
            return readQuietly(stderrFile);
        }

        /**
         * SIGTERM to the process and its descendants, SIGKILL to whatever is left after {@code grace}, then waits
         * (bounded) for the exit. Returns the exit code, or -1 if the process could not be reaped.
         */
        public int stop(Duration grace) {
            destroyTree(process.toHandle(), grace);
            try {
                return process.waitFor(REAP_BOUND.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    /**
     * Kills {@code root} and every descendant. With a non-zero {@code grace} they first get SIGTERM and the rest get
     * SIGKILL when it expires. Descendants are listed before anything is signalled, because once the root dies its
     * children are re-parented and no longer show up as its descendants.
     */
    public static void destroyTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root);
        if (!grace.isZero()) {
            all.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + grace.toNanos();
            for (ProcessHandle h : all) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        // Kill again in case a descendant was forked between the listing and the TERM (a daemon's accept loop).
        List<ProcessHandle> late = root.isAlive() ? root.descendants().toList() : List.of();
        all.addAll(late);
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(REAP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Reported to the caller through isAlive()/exit code; nothing more we can do by PID.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** POSIX-shell quoting of a command line, so failure messages can be pasted into a terminal. */
    public static String quote(List<String> command) {
        StringBuilder sb = new StringBuilder();
        for (String arg : command) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,@+%".indexOf(c) >= 0)) {
                sb.append(arg);
            } else {
                sb.append('\'').append(arg.replace("'", "'\\''")).append('\'');
            }
        }
        return sb.toString();
    }

    private static ProcessBuilder builder(List<String> command, Map<String, String> env, Path workDir) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command: empty (expected: program and arguments)");
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Map<String, String> environment = pb.environment();
        environment.keySet().removeIf(k -> k.startsWith("RSYNC_"));
        environment.putAll(env);
        return pb;
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofVirtual().name("proc-drain").start(() -> {
            try (in) {
                result.complete(in.readAllBytes());
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static String text(CompletableFuture<byte[]> stream, List<String> command) throws InterruptedException {
        try {
            return new String(stream.get(REAP_BOUND.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
        } catch (ExecutionException e) {
            throw new UncheckedIOException("reading output of " + quote(command),
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        } catch (TimeoutException e) {
            throw new AssertionError("output of " + quote(command) + " still open " + REAP_BOUND.toMillis()
                    + " ms after it exited (a background child holds the pipe?)");
        }
    }

    private static String partial(CompletableFuture<byte[]> stream) {
        // After the tree is killed the pipes reach EOF, so this normally completes at once.
        try {
            return new String(stream.get(2, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        } catch (ExecutionException | TimeoutException e) {
            return "(unavailable: " + e + ")";
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable " + file + ": " + e.getMessage() + ")";
        }
    }
}
