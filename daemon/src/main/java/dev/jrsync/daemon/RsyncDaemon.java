package dev.jrsync.daemon;

import dev.jrsync.daemon.config.ConfigException;
import dev.jrsync.daemon.config.RsyncdConf;
import dev.jrsync.protocol.ExitCode;
import dev.jrsync.transport.NettyServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rsyncd replacement: `--daemon` with the options of {@link DaemonOptions}. A library first (start/close), the
 * command line second: a listener (detached through {@link DetachedStart}, stopped by SIGTERM through
 * {@link StopSignal}), or one connection on stdin ({@link InetdMode}). Thread-safe.
 */
public final class RsyncDaemon implements AutoCloseable {
    public static final Path DEFAULT_CONFIG = DaemonOptions.DEFAULT_CONFIG;

    private final NettyServer server;
    private final DaemonLog log;
    private final Path pidFile;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

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
        return reloader(configFile, initial, log, List.of());
    }

    /** As {@link #reloader(Path, RsyncdConf, DaemonLog)}, applying the daemon's --dparam overrides each time. */
    static java.util.function.Supplier<RsyncdConf> reloader(Path configFile, RsyncdConf initial, DaemonLog log,
                                                            List<String> dparams) {
        java.util.concurrent.atomic.AtomicReference<RsyncdConf> lastGood =
                new java.util.concurrent.atomic.AtomicReference<>(initial);
        return () -> {
            try {
                RsyncdConf fresh = RsyncdConf.load(configFile, dparams);
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
        String addr = address != null ? address : conf.global().address().orElse(null);
        int p = port >= 0 ? port : conf.global().port();
        Path pid = conf.global().pidFile().orElse(null);
        try {
            if (pid != null) {
                String failure = PidFile.create(pid);
                if (failure != null) {
                    throw new dev.jrsync.protocol.RsyncException(ExitCode.RERR_FILEIO, failure);
                }
            }
            RsyncDaemon d = start(conf, configFile, log, addr == null ? null : InetAddress.getByName(addr), p, pid,
                    List.of(), handshakeDeadline);
            log.log("rsyncd version jrsync starting, listening on port " + d.port());
            return d;
        } catch (IOException | RuntimeException e) {
            if (pid != null) {
                Files.deleteIfExists(pid);
            }
            log.close();
            throw e;
        }
    }

    /**
     * Binds and serves; the daemon owns {@code log} and removes {@code pidFile} (already written) when closed.
     * On failure nothing is closed or removed: the caller reports and cleans up.
     */
    static RsyncDaemon start(RsyncdConf conf, Path configFile, DaemonLog log, InetAddress bind, int port, Path pidFile,
                             List<String> dparams, java.time.Duration handshakeDeadline) throws IOException {
        java.util.function.Supplier<RsyncdConf> perConnection =
                configFile == null ? () -> conf : reloader(configFile, conf, log, dparams);
        ConcurrentHashMap<String, AtomicInteger> connections = new ConcurrentHashMap<>();
        NettyServer server = NettyServer.start(bind, port,
                c -> new ConnectionSession(perConnection.get(), log, c, connections, handshakeDeadline).run(),
                (c, t) -> log.log("connection from " + (c == null ? "?" : c.remoteAddress().getAddress().getHostAddress())
                        + " ended: " + (t.getMessage() == null ? t.toString() : t.getMessage())));
        return new RsyncDaemon(server, log, pidFile);
    }

    public int port() {
        return server.port();
    }

    public void awaitClose() throws InterruptedException {
        server.awaitClose();
    }

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close();
        if (pidFile != null) {
            Files.deleteIfExists(pidFile);
        }
        log.close();
    }

    /** Command-line entry with {@code System.out} for --help; see {@link #main(String[], PrintStream, PrintStream)}. */
    public static int main(String[] args, PrintStream err) {
        return main(args, System.out, err);
    }

    /**
     * Command-line entry (main.c/clientserver.c:daemon_main()): returns an exit code, or blocks serving until
     * SIGTERM (then 0). With a socket on stdin it serves that one connection (inetd mode) and never listens.
     */
    public static int main(String[] args, PrintStream out, PrintStream err) {
        DaemonOptions o;
        try {
            o = DaemonOptions.parse(args);
        } catch (dev.jrsync.protocol.RsyncException e) {
            err.println(e.getMessage());
            err.println(errorLine(e.exitCode()));
            return e.exitCode();
        }
        if (o.help()) {
            out.print(DaemonOptions.usageText());
            out.flush();
            return 0;
        }
        java.nio.channels.Channel inherited;
        try {
            inherited = System.inheritedChannel();
        } catch (IOException | SecurityException e) {
            inherited = null;
        }
        if (inherited instanceof java.nio.channels.SocketChannel socket) {
            return InetdMode.serve(o, socket);
        }
        if (inherited != null) {
            // A listening socket (systemd Accept=no): stock would fail on it too; never open a second listener.
            err.println("rsync: stdin is a listening socket; jrsync's daemon needs an accepted connection there "
                    + "(inetd nowait, systemd Accept=yes) or no socket at all");
            err.println(errorLine(ExitCode.RERR_SOCKETIO));
            return ExitCode.RERR_SOCKETIO;
        }
        Path config = o.config();
        RsyncdConf conf;
        try {
            conf = RsyncdConf.load(config, o.dparams());
        } catch (ConfigException e) {
            err.println("Failed to parse config file: " + config);
            if (e.getMessage() != null && !e.getMessage().isBlank()) {
                err.println(e.getMessage());
            }
            return ExitCode.RERR_SYNTAX;
        }
        boolean child = Boolean.getBoolean(DetachedStart.CHILD_PROPERTY);
        if (o.detach() && !child) {
            return DetachedStart.relaunch(args, err);
        }
        if (child) {
            BecomeDaemon.setsid();
        }
        return listen(o, conf, err, child);
    }

    /** The listener: pid file, bind, readiness, then serve until closed (SIGTERM closes it). */
    private static int listen(DaemonOptions o, RsyncdConf conf, PrintStream err, boolean child) {
        StopSignal stop = StopSignal.install();
        Path logFile = o.logFile() != null ? o.logFile() : conf.global().logFile().orElse(null);
        // As log.c:logfile_open(): a log file that cannot be opened is reported and ignored, not fatal.
        DaemonLog log = DaemonLog.open(logFile);
        // Start-up failures go to stderr, and also to the log when it is a file (stderr already has them).
        java.util.function.Consumer<String> fail = line -> {
            err.println(line);
            if (logFile != null) {
                log.log(line);
            }
        };
        Path pid = conf.global().pidFile().orElse(null);
        RsyncDaemon d;
        try {
            if (pid != null) {
                String failure = PidFile.create(pid);
                if (failure != null) {
                    fail.accept(failure);
                    fail.accept(errorLine(ExitCode.RERR_FILEIO));
                    closeQuietly(log);
                    return ExitCode.RERR_FILEIO;
                }
            }
            String addr = o.address() != null ? o.address() : conf.global().address().orElse(null);
            int port = o.port() >= 0 ? o.port() : conf.global().port();
            InetAddress bind;
            try {
                bind = bindAddress(addr, o.family());
            } catch (java.net.UnknownHostException e) {
                fail.accept("getaddrinfo: " + addr + " " + port + ": Name or service not known");
                return startFailed(fail, log, pid);
            }
            try {
                d = start(conf, o.config(), log, bind, port, pid, o.dparams(), ConnectionSession.HANDSHAKE_DEADLINE);
            } catch (IOException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                fail.accept("bind() failed: " + cause.getMessage() + " (address-family "
                        + (bind instanceof java.net.Inet4Address ? 2 : 10) + ")");
                fail.accept("unable to bind any inbound sockets on port " + port);
                return startFailed(fail, log, pid);
            }
        } catch (RuntimeException e) {
            closeQuietly(log);
            throw e;
        }
        if (child) {
            DetachedStart.reportReady();
        }
        // After the readiness report: without a log file this line goes to stderr, which a detached child
        // has just pointed at /dev/null (stock's detached daemon logs to syslog, not the terminal).
        log.log("rsyncd version jrsync starting, listening on port " + d.port());
        stop.serving(d);
        try {
            d.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.RERR_SIGNAL;
        }
        try {
            d.close();
        } catch (IOException ignored) {
            // The listener is gone; nothing else to report.
        }
        return 0;
    }

    private static int startFailed(java.util.function.Consumer<String> fail, DaemonLog log, Path pid) {
        fail.accept(errorLine(ExitCode.RERR_SOCKETIO));
        if (pid != null) {
            try {
                Files.deleteIfExists(pid);
            } catch (IOException ignored) {
                // Exiting anyway.
            }
        }
        closeQuietly(log);
        return ExitCode.RERR_SOCKETIO;
    }

    /** The address to bind: the configured one (resolved with -4/-6 preference), or the family's wildcard. */
    static InetAddress bindAddress(String addr, DaemonOptions.Family family) throws java.net.UnknownHostException {
        if (addr == null || addr.isEmpty()) {
            return switch (family) {
                case ANY -> null;
                case INET4 -> InetAddress.getByAddress(new byte[4]);
                case INET6 -> InetAddress.getByAddress(new byte[16]);
            };
        }
        InetAddress[] all = InetAddress.getAllByName(addr);
        for (InetAddress a : all) {
            if (family == DaemonOptions.Family.INET4 && a instanceof java.net.Inet4Address
                    || family == DaemonOptions.Family.INET6 && a instanceof java.net.Inet6Address) {
                return a;
            }
        }
        return all[0];
    }

    static String errorLine(int code) {
        return "rsync error: " + ExitCode.describe(code) + " (code " + code + ") [server=jrsync]";
    }

    private static void closeQuietly(DaemonLog log) {
        try {
            log.close();
        } catch (IOException ignored) {
            // Exiting anyway.
        }
    }
}
