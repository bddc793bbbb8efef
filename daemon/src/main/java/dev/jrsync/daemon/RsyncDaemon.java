package dev.jrsync.daemon;

import dev.jrsync.daemon.config.ConfigException;
import dev.jrsync.daemon.config.RsyncdConf;
import dev.jrsync.protocol.ExitCode;
import dev.jrsync.transport.NettyServer;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rsyncd replacement: `--daemon [--no-detach] [--config=FILE] [--port=N] [--address=A]`.
 * A library first (start/close), the command line second. Thread-safe.
 */
public final class RsyncDaemon implements AutoCloseable {
    public static final Path DEFAULT_CONFIG = Path.of("/etc/rsyncd.conf");

    private final NettyServer server;
    private final DaemonLog log;
    private final Path pidFile;

    private RsyncDaemon(NettyServer server, DaemonLog log, Path pidFile) {
        this.server = server;
        this.log = log;
        this.pidFile = pidFile;
    }

    /** Starts serving {@code conf}; port -1 and address null take the config's values. */
    public static RsyncDaemon start(RsyncdConf conf, String address, int port) throws IOException {
        return start(conf, address, port, ConnectionSession.HANDSHAKE_DEADLINE);
    }

    /**
     * As {@link #start(RsyncdConf, String, int)}, re-reading {@code configFile} for every connection
     * as stock rsyncd does, so edited modules, secrets and access rules apply without a restart
     * (the listening port and address, pid file and log file stay those of {@code initial}). A file
     * that no longer parses is logged and the last good configuration keeps serving.
     */
    public static RsyncDaemon start(Path configFile, RsyncdConf initial, String address, int port)
            throws IOException {
        return start(initial, configFile, address, port, ConnectionSession.HANDSHAKE_DEADLINE);
    }

    /** As {@link #start(RsyncdConf, String, int)} with another bound on the pre-transfer handshake (tests). */
    static RsyncDaemon start(RsyncdConf conf, String address, int port, java.time.Duration handshakeDeadline)
            throws IOException {
        return start(conf, null, address, port, handshakeDeadline);
    }

    /** A per-connection configuration source for {@code configFile}; package-private for tests. */
    static java.util.function.Supplier<RsyncdConf> reloader(Path configFile, RsyncdConf initial, DaemonLog log) {
        java.util.concurrent.atomic.AtomicReference<RsyncdConf> lastGood =
                new java.util.concurrent.atomic.AtomicReference<>(initial);
        return () -> {
            try {
                RsyncdConf fresh = RsyncdConf.load(configFile);
                lastGood.set(fresh);
                return fresh;
            } catch (ConfigException e) {
                log.log("failed to re-read " + configFile + ", still serving the previous "
                        + "configuration: " + e.getMessage());
                return lastGood.get();
            }
        };
    }

    static RsyncDaemon start(RsyncdConf conf, Path configFile, String address, int port,
                             java.time.Duration handshakeDeadline) throws IOException {
        DaemonLog log = DaemonLog.open(conf.global().logFile().orElse(null));
        java.util.function.Supplier<RsyncdConf> perConnection =
                configFile == null ? () -> conf : reloader(configFile, conf, log);
        String addr = address != null ? address : conf.global().address().orElse(null);
        int p = port >= 0 ? port : conf.global().port();
        ConcurrentHashMap<String, AtomicInteger> connections = new ConcurrentHashMap<>();
        NettyServer server = NettyServer.start(addr == null ? null : InetAddress.getByName(addr), p,
                c -> new ConnectionSession(perConnection.get(), log, c, connections, handshakeDeadline).run(),
                (c, t) -> log.log("connection from " + (c == null ? "?" : c.remoteAddress().getAddress().getHostAddress())
                        + " ended: " + (t.getMessage() == null ? t.toString() : t.getMessage())));
        Path pid = conf.global().pidFile().orElse(null);
        if (pid != null) {
            // create_pid_file(): a non-regular leaf (a planted symlink) is replaced, never followed.
            dev.jrsync.daemon.config.NoAttackerSymlinks.createPidFile(pid, ProcessHandle.current().pid());
        }
        log.log("rsyncd version jrsync starting, listening on port " + server.port());
        return new RsyncDaemon(server, log, pid);
    }

    public int port() {
        return server.port();
    }

    public void awaitClose() throws InterruptedException {
        server.awaitClose();
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (pidFile != null) {
            Files.deleteIfExists(pidFile);
        }
        log.close();
    }

    /** Command-line entry: returns an exit code, or blocks serving until killed. */
    public static int main(String[] args, PrintStream err) {
        Path config = DEFAULT_CONFIG;
        int port = -1;
        String address = null;
        boolean detach = true;
        for (String a : args) {
            if (a.equals("--daemon")) {
                continue;
            } else if (a.equals("--no-detach")) {
                detach = false;
            } else if (a.startsWith("--config=")) {
                config = Path.of(a.substring("--config=".length()));
            } else if (a.startsWith("--port=")) {
                try {
                    port = Integer.parseInt(a.substring("--port=".length()));
                } catch (NumberFormatException e) {
                    err.println("rsync: invalid port number: " + a);
                    return ExitCode.RERR_SYNTAX;
                }
            } else if (a.startsWith("--address=")) {
                address = a.substring("--address=".length());
            } else {
                err.println("rsync: " + a + ": unknown option for --daemon");
                err.println("rsync error: syntax or usage error (code 1) [server=jrsync]");
                return ExitCode.RERR_SYNTAX;
            }
        }
        RsyncdConf conf;
        try {
            conf = RsyncdConf.load(config);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.println("rsync error: syntax or usage error (code 1) [server=jrsync]");
            return ExitCode.RERR_SYNTAX;
        }
        if (detach) {
            return relaunchDetached(args, err);
        }
        try {
            RsyncDaemon d = start(config, conf, address, port);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                try {
                    d.close();
                } catch (IOException ignored) {
                    // Exiting anyway.
                }
            }));
            d.awaitClose();
            return 0;
        } catch (IOException e) {
            err.println("rsync: " + e.getMessage());
            err.println("rsync error: error in socket IO (code 10) [server=jrsync]");
            return ExitCode.RERR_SOCKETIO;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.RERR_SIGNAL;
        }
    }

    /** A JVM cannot fork: detaching starts a second JVM with --no-detach and returns. */
    private static int relaunchDetached(String[] args, PrintStream err) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(System.getProperty("jrsync.main", "dev.jrsync.dist.Main"));
        cmd.addAll(List.of(args));
        cmd.add("--no-detach");
        try {
            new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return 0;
        } catch (IOException e) {
            err.println("rsync: failed to start the daemon in the background: " + e.getMessage());
            return ExitCode.RERR_IPC;
        }
    }

}
