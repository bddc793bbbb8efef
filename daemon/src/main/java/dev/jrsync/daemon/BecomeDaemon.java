package dev.jrsync.daemon;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The process-level half of clientserver.c:become_daemon() that a JVM can do: leave the controlling terminal's
 * session and point the standard descriptors at /dev/null (the fork is a relaunch, see {@link RsyncDaemon}).
 * Stateless; each call is a few system calls.
 */
final class BecomeDaemon {
    private static final int O_RDWR = 2;

    private BecomeDaemon() {
    }

    /** setsid(2): true when the process now leads a new session. */
    static boolean setsid() {
        try {
            MethodHandle h = handle("setsid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
            return (int) h.invokeExact() >= 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * Makes descriptors {@code fds} refer to /dev/null, as stock does after detaching and in inetd mode, so that
     * neither a closed pipe nor the client's socket ever receives stray output. Java's System.out/err are replaced
     * with discarding streams first. True when every descriptor was redirected.
     */
    static boolean nullStdio(int... fds) {
        System.out.flush();
        System.err.flush();
        java.io.PrintStream discard = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        for (int fd : fds) {
            if (fd == 1) {
                System.setOut(discard);
            } else if (fd == 2) {
                System.setErr(discard);
            }
        }
        try (Arena a = Arena.ofConfined()) {
            MethodHandle open = handle("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT));
            MethodHandle dup2 = handle("dup2", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT));
            MethodHandle close = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int devNull = (int) open.invokeExact(a.allocateFrom("/dev/null"), O_RDWR);
            if (devNull < 0) {
                return false;
            }
            boolean all = true;
            for (int fd : fds) {
                all &= (int) dup2.invokeExact(devNull, fd) >= 0;
            }
            int ignored = (int) close.invokeExact(devNull);
            return all;
        } catch (Throwable t) {
            return false;
        }
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError(name));
        return linker.downcallHandle(symbol, fd);
    }
}
