package dev.jrsync.interop.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Stock {@code rsync --daemon --no-detach} on 127.0.0.1 and an ephemeral port, configured from {@link ModuleSpec}s.
 * Thread-safe; {@link #start} blocks until the daemon listens, {@link #close} until it has exited (both bounded).
 */
public final class StockDaemon extends RsyncDaemon {

    private StockDaemon(DaemonProcess process) {
        super(process);
    }

    /** Starts a daemon whose config, pid file, log and output live in {@code stateDir}. */
    public static StockDaemon start(Path stateDir, List<ModuleSpec> modules) throws IOException, InterruptedException {
        return start(stateDir, Map.of(), modules);
    }

    /** As {@link #start(Path, List)} with extra global rsyncd.conf parameters. */
    public static StockDaemon start(Path stateDir, Map<String, String> global, List<ModuleSpec> modules)
            throws IOException, InterruptedException {
        return start(stateDir, global, modules, Map.of());
    }

    /** As {@link #start(Path, Map, List)} with extra environment variables (e.g. RSYNC_COMPRESS_LIST). */
    public static StockDaemon start(Path stateDir, Map<String, String> global, List<ModuleSpec> modules,
                                 Map<String, String> env) throws IOException, InterruptedException {
        Map<String, String> fullEnv = new java.util.HashMap<>(StockRsync.defaultEnv());
        fullEnv.putAll(env);
        String rsync = StockRsync.binary().toString();
        Path config = stateDir.resolve("rsyncd.conf");
        return new StockDaemon(DaemonProcess.start(stateDir, global, modules, fullEnv,
                port -> List.of(rsync, "--daemon", "--no-detach", "--config=" + config, "--port=" + port,
                        "--address=127.0.0.1")));
    }
}
