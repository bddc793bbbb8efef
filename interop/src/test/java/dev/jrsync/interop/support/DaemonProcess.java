package dev.jrsync.interop.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Shared mechanics of {@link StockDaemon} and {@link JrsyncDaemon}: writes the config, starts the process on a free
 * port (retrying when the port is lost), waits until it listens, stops it by PID. Thread-safe; {@link #close}
 * is idempotent.
 */
final class DaemonProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int PORT_ATTEMPTS = 5;

    private final Proc.Running process;
    private final int port;
    private final Path configFile;
    private final Path logFile;
    private boolean closed;

    private DaemonProcess(Proc.Running process, int port, Path configFile, Path logFile) {
        this.process = process;
        this.port = port;
        this.configFile = configFile;
        this.logFile = logFile;
    }

    /**
     * Writes {@code stateDir/rsyncd.conf} and starts {@code commandForPort.apply(port)} in {@code stateDir}.
     *
     * @param global extra global parameters; {@code pid file} and {@code log file} are added unless given
     */
    static DaemonProcess start(Path stateDir, Map<String, String> global, List<ModuleSpec> modules,
            Map<String, String> env, IntFunction<List<String>> commandForPort) throws IOException, InterruptedException {
        Files.createDirectories(stateDir);
        Path config = stateDir.resolve("rsyncd.conf");
        Path log = stateDir.resolve("rsyncd.log");
        Map<String, String> g = new LinkedHashMap<>();
        g.put("pid file", stateDir.resolve("rsyncd.pid").toString());
        g.put("log file", log.toString());
        g.putAll(global);
        RsyncdConf.write(config, g, modules);
        Path out = stateDir.resolve("daemon.stdout");
        Path err = stateDir.resolve("daemon.stderr");
        return Ports.withRetry(PORT_ATTEMPTS, port -> {
            Proc.Running running = Proc.start(commandForPort.apply(port), env, stateDir, out, err);
            DaemonProcess daemon = new DaemonProcess(running, port, config, log);
            try {
                Ports.awaitListening(running.handle(), port, START_TIMEOUT, daemon::output);
                return daemon;
            } catch (RuntimeException | Error | InterruptedException e) {
                daemon.close();
                // A stale pid file would make the next attempt's daemon refuse to start.
                Files.deleteIfExists(stateDir.resolve("rsyncd.pid"));
                throw e;
            }
        });
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path configFile() {
        return configFile;
    }

    Path logFile() {
        return logFile;
    }

    String output() {
        String log;
        try {
            log = Files.exists(logFile) ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            log = "(unreadable: " + e.getMessage() + ")";
        }
        return "command: " + Proc.quote(process.command()) + "\n--- log file ---\n" + log + "\n--- stdout ---\n"
                + process.stdout() + "\n--- stderr ---\n" + process.stderr();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            process.stop(STOP_GRACE);
        }
    }
}
