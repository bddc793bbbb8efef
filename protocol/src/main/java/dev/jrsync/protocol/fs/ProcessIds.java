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

    private ProcessIds() {
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
