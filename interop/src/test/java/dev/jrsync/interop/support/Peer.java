package dev.jrsync.interop.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Which implementation plays a role in a scenario, so one test body can run all four directions plus
 * jrsync-to-jrsync by parameter. Immutable; the methods block like {@link StockRsync#client} and
 * {@link StockDaemon#start}.
 */
public enum Peer {
    STOCK,
    JRSYNC;

    /** Runs this peer's client with {@code args}. */
    public Proc.Result client(List<String> args, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        return switch (this) {
            case STOCK -> StockRsync.client(args, env, timeout);
            case JRSYNC -> Jrsync.client(args, env, timeout);
        };
    }

    /** Starts this peer's daemon with state in {@code stateDir}. */
    public RsyncDaemon startDaemon(Path stateDir, List<ModuleSpec> modules) throws IOException, InterruptedException {
        return switch (this) {
            case STOCK -> StockDaemon.start(stateDir, modules);
            case JRSYNC -> JrsyncDaemon.start(stateDir, modules);
        };
    }

    /** As {@link #startDaemon(Path, List)} with extra environment variables for the daemon process. */
    public RsyncDaemon startDaemon(Path stateDir, List<ModuleSpec> modules, Map<String, String> env)
            throws IOException, InterruptedException {
        return switch (this) {
            case STOCK -> StockDaemon.start(stateDir, Map.of(), modules, env);
            case JRSYNC -> JrsyncDaemon.start(stateDir, Map.of(), modules, env);
        };
    }
}
