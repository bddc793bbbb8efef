package dev.jrsync.daemon;

import dev.jrsync.protocol.ExitCode;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Detaching without fork(): the parent relaunches the daemon in a second JVM and waits until that child has
 * written its pid file and bound its port, or failed. The child's stderr is relayed to the parent's; the child
 * says "ready" on its stdout once listening and then points stdin, stdout and stderr at /dev/null (so a parent
 * that has gone cannot hurt it through a closed pipe). The parent exits 0 after "ready", otherwise with the
 * child's exit code. (Stock forks before binding, so its parent always exits 0; jrsync reports the failure.)
 */
final class DetachedStart {
    /** Set on the child's command line. */
    static final String CHILD_PROPERTY = "jrsync.daemon.detachedChild";
    static final String READY = "ready";
    /** Bound on the child's start (JVM start, config, pid file, bind). */
    private static final long START_SECONDS = 60;

    private DetachedStart() {
    }

    static int relaunch(String[] args, PrintStream err) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-D" + CHILD_PROPERTY + "=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(System.getProperty("jrsync.main", "dev.jrsync.dist.Main"));
        cmd.addAll(List.of(args));
        Process child;
        try {
            child = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            err.println("failed to fork: " + e.getMessage());
            err.println(RsyncDaemon.errorLine(ExitCode.RERR_FILEIO));
            return ExitCode.RERR_FILEIO;
        }
        Thread relay = Thread.ofPlatform().daemon().name("jrsync-child-stderr")
                .start(() -> copy(child.getErrorStream(), err));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> readyLine(child.getInputStream(), err),
                r -> Thread.ofPlatform().daemon().start(r));
        try {
            String first = line.get(START_SECONDS, TimeUnit.SECONDS);
            if (READY.equals(first)) {
                relay.join(5000);
                return 0;
            }
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                err.println("rsync: the daemon (pid " + child.pid() + ") neither started nor exited");
                return ExitCode.RERR_IPC;
            }
            relay.join(5000);
            return child.exitValue();
        } catch (TimeoutException e) {
            err.println("rsync: the daemon (pid " + child.pid() + ") did not start within " + START_SECONDS
                    + " seconds; stopping it");
            child.destroy();
            return ExitCode.RERR_IPC;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.RERR_SIGNAL;
        } catch (ExecutionException e) {
            err.println("rsync: lost the daemon's start-up report: " + e.getCause());
            return ExitCode.RERR_IPC;
        }
    }

    /** In the child: tells the parent the daemon is listening, then lets go of the parent's pipes. */
    static void reportReady() {
        System.out.println(READY);
        System.out.flush();
        System.err.flush();
        BecomeDaemon.nullStdio(0, 1, 2);
    }

    /** Reads the child's stdout up to "ready" (returned) or EOF (null); anything else is relayed to stderr. */
    private static String readyLine(InputStream in, PrintStream err) {
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                if (l.equals(READY)) {
                    return l;
                }
                err.println(l);
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void copy(InputStream in, PrintStream err) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                err.write(buf, 0, n);
                err.flush();
            }
        } catch (IOException ignored) {
            // The child closed its side.
        }
    }
}
