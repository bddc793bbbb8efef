package dev.jrsync.protocol.fs;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * This process's effective ids (geteuid(2), getegid(2)), which decide what rsync may do (preserve
 * owners, default config paths) — never the {@code user.name} property or the environment.
 * Stateless; thread-safe.
 */
public final class ProcessIds {
    private static final MethodHandle GETEUID = handle("geteuid");
    private static final MethodHandle GETEGID = handle("getegid");

    private static final MethodHandle UMASK = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("umask").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    /** Read once at start-up (umask(2) can only be read by setting it), before any file is created. */
    private static final int UMASK_AT_START = readUmask();

    private ProcessIds() {
    }

    private static int readUmask() {
        try {
            int old = (int) UMASK.invokeExact(022);
            int ignored = (int) UMASK.invokeExact(old);
            return old;
        } catch (Throwable t) {
            return 022;
        }
    }

    /** The process's umask (rsync's orig_umask): new files get at most 0777 without these bits. */
    public static int umask() {
        return UMASK_AT_START;
    }

    private static MethodHandle handle(String name) {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
    }

    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("geteuid", t);
        }
    }

    public static int getegid() {
        try {
            return (int) GETEGID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("getegid", t);
        }
    }

    /** Whether this process runs as root (euid 0). */
    public static boolean isRoot() {
        return geteuid() == 0;
    }
}
