package dev.jrsync.daemon;

import dev.jrsync.daemon.config.ConfigException;
import dev.jrsync.daemon.config.RsyncdConf;
import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.fs.ProcessIds;
import dev.jrsync.protocol.handshake.Greeting;
import dev.jrsync.protocol.handshake.Lines;
import dev.jrsync.protocol.handshake.ServerArgs;
import dev.jrsync.protocol.session.LocalFiles;
import dev.jrsync.protocol.session.ServerLog;
import dev.jrsync.protocol.session.Session;
import dev.jrsync.protocol.session.StartServer;
import dev.jrsync.transport.StdioConnection;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code jrsync --server ...}: the far side a client starts through a remote shell (main.c:start_server()
 * on stdin/stdout). The arguments are what the client's server_options() built; with -s the real list
 * follows on stdin. {@code --server --daemon .} instead runs a daemon's whole conversation (greeting,
 * module, auth) over the pipes, with {@code --config} or, for a user other than root, ./rsyncd.conf.
 * Stdout carries only the protocol: System.out is pointed at stderr while serving.
 */
public final class ServerMode {
    private static final int BUFFER = 64 * 1024;

    private ServerMode() {
    }

    /** Whether {@code args} ask for server mode (rsync's --server, anywhere before the "." separator). */
    public static boolean wanted(String[] args) {
        for (String a : args) {
            if (a.equals(".")) {
                return false;
            }
            if (a.equals("--server")) {
                return true;
            }
        }
        return false;
    }

    /** Serves one client on this process's stdin and stdout; returns the exit code. */
    public static int main(String[] args, Map<String, String> env) {
        PrintStream stderr = System.err;
        // Stock's client may hand us non-blocking pipes; Java's streams need blocking ones.
        dev.jrsync.protocol.fs.BlockingIo.setBlocking(0);
        dev.jrsync.protocol.fs.BlockingIo.setBlocking(1);
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), BUFFER);
        InputStream in = new BufferedInputStream(new FileInputStream(FileDescriptor.in), BUFFER);
        System.setOut(stderr);
        List<String> argv = List.of(args);
        int dot = argv.indexOf(".");
        if (argv.subList(0, dot < 0 ? argv.size() : dot).contains("--daemon")) {
            return daemon(argv, in, out, stderr, env);
        }
        return server(argv, in, out, stderr);
    }

    private static int server(List<String> argv, InputStream in, OutputStream out, PrintStream stderr) {
        ServerArgs.Parser parser = new ServerArgs.Parser(ServerArgs.Refuser.NONE);
        try {
            parser.parse(argv, false, false);
            if (parser.wantsSecludedArgs()) {
                parser.parse(Lines.readArgs(in, 30), false, true);
            }
        } catch (IOException e) {
            stderr.println("rsync: reading the secluded arguments failed: " + e.getMessage());
            return ExitCode.RERR_STREAMIO;
        }
        if (parser.error() != null) {
            // Stock's server reports a bad option on stderr (the remote shell passes it on) and exits.
            stderr.println("rsync: on remote machine: " + parser.error().getMessage());
            stderr.println("rsync error: " + ExitCode.describe(parser.error().exitCode()) + " (code "
                    + parser.error().exitCode() + ") [server=" + ConnectionSession.JRSYNC_VERSION + "]");
            return parser.error().exitCode();
        }
        ServerLog log = new ServerLog(line -> { });
        Session session = new Session(in, dev.jrsync.protocol.wire.BwLimit.wrap(out, parser.options().bwlimit),
                parser.options(), true, log);
        log.attach(session);
        StdioConnection conn = new StdioConnection(in, out, Map.of());
        session.setOnFailure(conn::close);
        try {
            session.setup(session.exchangeProtocol(Greeting.NEWEST_SUPPORTED));
            try (Session.KeepAlive keepAlive = session.startKeepAlive(parser.options().timeout)) {
                int code = StartServer.run(session, new LocalFiles());
                out.flush();
                return code;
            }
        } catch (RsyncException e) {
            if (session.setupResult() == null) {
                stderr.println("rsync: " + e.getMessage());
            }
            StartServer.reportFailure(session, e);
            drain(in);
            return e.exitCode();
        } catch (IOException | RuntimeException e) {
            // Not an rsync error with a message for the client: the client sees the pipe close; say why here
            // (the remote shell passes stderr on).
            stderr.println("rsync: [" + (parser.options().sender ? "sender" : "receiver") + "] " + e);
            return ExitCode.RERR_STREAMIO;
        }
    }

    private static int daemon(List<String> argv, InputStream in, OutputStream out, PrintStream stderr,
                              Map<String, String> env) {
        List<String> opts = new ArrayList<>();
        for (String a : argv) {
            if (a.equals(".")) {
                break;
            }
            if (!a.equals("--server")) {
                opts.add(a);
            }
        }
        DaemonOptions o;
        try {
            o = DaemonOptions.parse(opts.toArray(String[]::new));
        } catch (RsyncException e) {
            stderr.println(e.getMessage());
            return e.exitCode();
        }
        // clientserver.c:daemon_main(): over a remote shell a user other than root reads ./rsyncd.conf.
        Path config = o.configGiven || ProcessIds.isRoot() ? o.config() : Path.of("rsyncd.conf");
        RsyncdConf conf;
        try {
            conf = RsyncdConf.load(config, o.dparams());
        } catch (ConfigException e) {
            stderr.println("Failed to parse config file: " + config);
            if (e.getMessage() != null && !e.getMessage().isBlank()) {
                stderr.println(e.getMessage());
            }
            return ExitCode.RERR_SYNTAX;
        }
        Path logFile = o.logFile() != null ? o.logFile() : conf.global().logFile().orElse(null);
        DaemonLog log = logFile == null ? DaemonLog.discard() : DaemonLog.open(logFile);
        StdioConnection conn = new StdioConnection(in, out, env);
        try {
            ConnectionSession session = new ConnectionSession(conf, log, conn, new ConcurrentHashMap<>(),
                    ConnectionSession.HANDSHAKE_DEADLINE);
            session.run();
            out.flush();
            return session.exitCode();
        } catch (IOException e) {
            log.log("connection over the remote shell ended: " + e.getMessage());
            return e instanceof RsyncException r ? r.exitCode() : ExitCode.RERR_STREAMIO;
        } finally {
            conn.close();
            try {
                log.close();
            } catch (IOException ignored) {
                // Exiting anyway.
            }
        }
    }

    /** After an error exit the client echoes and closes; read until it has (bounded by the client). */
    private static void drain(InputStream in) {
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                byte[] buf = new byte[8192];
                while (in.read(buf) >= 0) {
                    // discard
                }
            } catch (IOException ignored) {
                // Gone.
            }
        });
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
