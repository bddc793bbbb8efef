package dev.jrsync.protocol.fs;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * util1.c:set_blocking(): clears O_NONBLOCK on an inherited descriptor. A remote-shell server's
 * stdout may arrive non-blocking (rsync's piped_child() leaves it so unless --blocking-io), and
 * Java's streams treat EAGAIN as an error. Stateless; thread-safe.
 */
public final class BlockingIo {
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 04000;
    private static final MethodHandle FCNTL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("fcntl").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2));

    private BlockingIo() {
    }

    /** Makes {@code fd} blocking; returns false if fcntl failed (e.g. the descriptor is closed). */
    public static boolean setBlocking(int fd) {
        try {
            int flags = (int) FCNTL.invokeExact(fd, F_GETFL, 0);
            if (flags < 0) {
                return false;
            }
            if ((flags & O_NONBLOCK) == 0) {
                return true;
            }
            return (int) FCNTL.invokeExact(fd, F_SETFL, flags & ~O_NONBLOCK) == 0;
        } catch (Throwable t) {
            return false;
        }
    }
}
