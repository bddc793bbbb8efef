package dev.jrsync.interop.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The jrsync jar run as {@code --daemon --no-detach} on 127.0.0.1 and an ephemeral port, configured from
 * {@link ModuleSpec}s; fails with a clear message while the jar does not exist. Thread-safe; {@link #start} blocks
 * until the daemon listens, {@link #close} until it has exited (both bounded).
 */
public final class JrsyncDaemon extends RsyncDaemon {

    private JrsyncDaemon(DaemonProcess process) {
        super(process);
    }

    /** Starts a daemon whose config, pid file, log and output live in {@code stateDir}. */
    public static JrsyncDaemon start(Path stateDir, List<ModuleSpec> modules) throws IOException, InterruptedException {
        return start(stateDir, Map.of(), modules);
    }

    /** As {@link #start(Path, List)} with extra global rsyncd.conf parameters. */
    public static JrsyncDaemon start(Path stateDir, Map<String, String> global, List<ModuleSpec> modules)
            throws IOException, InterruptedException {
        return start(stateDir, global, modules, Map.of());
    }

    /** As {@link #start(Path, Map, List)} with extra environment variables (e.g. RSYNC_COMPRESS_LIST). */
    public static JrsyncDaemon start(Path stateDir, Map<String, String> global, List<ModuleSpec> modules,
                                 Map<String, String> env) throws IOException, InterruptedException {
        Map<String, String> fullEnv = new java.util.HashMap<>(Jrsync.defaultEnv());
        fullEnv.putAll(env);
        Path config = stateDir.resolve("rsyncd.conf");
        return new JrsyncDaemon(DaemonProcess.start(stateDir, global, modules, fullEnv,
                port -> Jrsync.command(List.of("--daemon", "--no-detach", "--config=" + config, "--port=" + port,
                        "--address=127.0.0.1"))));
    }
}
