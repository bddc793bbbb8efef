package dev.jrsync.client;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.handshake.Greeting;
import dev.jrsync.protocol.handshake.ServerArgs;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.session.Receiving;
import dev.jrsync.protocol.session.Sender;
import dev.jrsync.protocol.session.Session;
import dev.jrsync.protocol.session.SourceArgs;
import dev.jrsync.protocol.session.Stats;
import dev.jrsync.transport.Connection;
import dev.jrsync.transport.NettyClient;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The rsync-compatible client: parses the command line, connects to a daemon and runs the
 * sending or receiving role. A thin shell over the engine; one instance per invocation.
 */
public final class ClientMain {
    public static final String VERSION = "jrsync " + Usage.VERSION_NUMBER;

    private final PrintStream stdout;
    private final PrintStream stderr;
    private final Map<String, String> env;

    public ClientMain(PrintStream stdout, PrintStream stderr, Map<String, String> env) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.env = env;
    }

    public static void main(String[] args) {
        int code = new ClientMain(System.out, System.err, System.getenv()).run(args);
        NettyClient.shutdown();
        System.exit(code);
    }

    /** Runs one client invocation and returns rsync's exit code. */
    public int run(String[] args) {
        ClientOptions cli = new ClientOptions();
        CommandLine cmd = new CommandLine(cli);
        cmd.setPosixClusteredShortOptionsAllowed(true);
        try {
            cmd.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            stderr.println("rsync: " + e.getMessage());
            stderr.println("rsync error: syntax or usage error (code 1) [client=" + VERSION + "]");
            return ExitCode.RERR_SYNTAX;
        }
        if (cli.help || (cli.humanReadable.length == 1 && args.length == 1)) {
            // options.c: a lone -h keeps its old meaning, --help.
            Usage.printHelp(stdout, cmd.getCommandSpec());
            return 0;
        }
        if (cli.version) {
            Usage.printVersion(stdout);
            return 0;
        }
        try {
            cli.debugLevel("NSTR");
        } catch (IllegalArgumentException e) {
            stderr.println(e.getMessage());
            stderr.println("rsync error: syntax or usage error (code 1) [client=" + VERSION + "]");
            return ExitCode.RERR_SYNTAX;
        }
        String role = "client";
        try {
            if (cli.protocol < Greeting.MIN_PROTOCOL || cli.protocol > Greeting.NEWEST_SUPPORTED) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "--protocol=" + cli.protocol
                        + " is outside the supported range " + Greeting.OLDEST_SUPPORTED + ".." + Greeting.NEWEST_SUPPORTED);
            }
            return dispatch(cli);
        } catch (RsyncException e) {
            if (!e.peerInformed() && e.getMessage() != null && !e.getMessage().isEmpty()) {
                stderr.println(e.getMessage().startsWith("@ERROR") || e.getMessage().startsWith("ERROR")
                        ? e.getMessage() : "rsync: " + e.getMessage());
            }
            stderr.println("rsync error: " + ExitCode.describe(e.exitCode()) + " (code " + e.exitCode() + ") ["
                    + role + "=" + VERSION + "]");
            return e.exitCode();
        } catch (IOException e) {
            stderr.println("rsync: " + e.getMessage());
            stderr.println("rsync error: error in socket IO (code 10) [" + role + "=" + VERSION + "]");
            return ExitCode.RERR_SOCKETIO;
        }
    }

    private int dispatch(ClientOptions cli) throws IOException {
        List<String> paths = cli.paths;
        if (paths.isEmpty()) {
            throw new RsyncException(ExitCode.RERR_SYNTAX, "no source given (try --help)");
        }
        if (paths.size() == 1) {
            // main.c: one argument and no destination lists it (options.c: list_only |= 1).
            Optional<RemoteSpec> r = RemoteSpec.parse(paths.get(0));
            if (r.isPresent() && r.get().isListing()) {
                return listModules(cli, r.get());
            }
            if (r.isPresent()) {
                return pull(cli, List.of(r.get()), null);
            }
            throw unsupportedLocation(paths);
        }
        String dest = paths.get(paths.size() - 1);
        List<String> srcs = paths.subList(0, paths.size() - 1);
        Optional<RemoteSpec> destRemote = RemoteSpec.parse(dest);
        List<RemoteSpec> remoteSrcs = new ArrayList<>();
        for (String s : srcs) {
            RemoteSpec.parse(s).ifPresent(remoteSrcs::add);
        }
        if (destRemote.isPresent()) {
            if (!remoteSrcs.isEmpty()) {
                throw new RsyncException(ExitCode.RERR_SYNTAX,
                        "The source and destination cannot both be remote.");
            }
            if (cli.listOnly) {
                // Stock lists the local sources and never contacts the daemon: a local listing.
                throw unsupportedLocation(srcs.size() == 1 ? srcs : List.of(srcs.getFirst()));
            }
            return push(cli, srcs, destRemote.get());
        }
        if (!remoteSrcs.isEmpty()) {
            if (remoteSrcs.size() != srcs.size()) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "all sources must be on the same daemon");
            }
            for (RemoteSpec r : remoteSrcs) {
                if (!r.sameDaemon(remoteSrcs.get(0))) {
                    throw new RsyncException(ExitCode.RERR_SYNTAX, "all sources must be on the same daemon module");
                }
            }
            return pull(cli, remoteSrcs, dest);
        }
        throw unsupportedLocation(paths);
    }

    /**
     * What stock would do with arguments that name no daemon: a remote shell for a HOST:PATH
     * argument, else a local copy (or local listing). Neither exists in jrsync yet; exit 4,
     * rsync's "requested action not supported", because the command line itself is valid.
     */
    static RsyncException unsupportedLocation(List<String> paths) {
        for (String p : paths) {
            if (RemoteSpec.isRemoteShell(p)) {
                return new RsyncException(ExitCode.RERR_UNSUPPORTED, "remote-shell transfers (HOST:PATH, \"" + p
                        + "\") are not supported by jrsync yet; use a daemon address (rsync://HOST/MODULE/PATH"
                        + " or HOST::MODULE/PATH)");
            }
        }
        return new RsyncException(ExitCode.RERR_UNSUPPORTED, (paths.size() == 1 ? "listing local files is"
                : "local copies are") + " not supported by jrsync yet; use a daemon address"
                + " (rsync://HOST/MODULE/PATH or HOST::MODULE/PATH)");
    }

    private Connection connect(ClientOptions cli, RemoteSpec spec) throws IOException {
        int port = spec.port() > 0 ? spec.port() : cli.port > 0 ? cli.port : 873;
        // socket.c:open_socket_out(); options.c: no --contimeout leaves the wait to the system.
        Connection c = dev.jrsync.transport.TcpConnect.open(new dev.jrsync.transport.TcpConnect.Target(spec.host(),
                port, cli.address, cli.family, dev.jrsync.transport.SocketOptions.parse(cli.sockopts),
                Duration.ofSeconds(Math.max(0, cli.contimeout)), env.get("RSYNC_PROXY")), stderr::println);
        if (cli.timeout > 0) {
            c.setReadTimeout(Duration.ofSeconds(cli.timeout));
        }
        return dev.jrsync.transport.BwLimitedConnection.of(c, cli.bwlimitKib());
    }

    private Supplier<String> passwordSource(ClientOptions cli) {
        return () -> {
            try {
                if (cli.passwordFile != null) {
                    return DaemonClient.readPasswordFile(cli.passwordFile);
                }
            } catch (RsyncException e) {
                throw new PasswordFailure(e);
            }
            String p = env.get("RSYNC_PASSWORD");
            if (p != null) {
                return p;
            }
            java.io.Console console = System.console();
            if (console != null) {
                char[] pw = console.readPassword("Password: ");
                return pw == null ? "" : new String(pw);
            }
            return "";
        };
    }

    /** Carries a password-file error out of the supplier. */
    private static final class PasswordFailure extends RuntimeException {
        PasswordFailure(RsyncException cause) {
            super(cause);
        }
    }

    /** The command line's options plus this process's RSYNC_*_LIST negotiation overrides. */
    private TransferOptions transferOptions(ClientOptions cli) throws RsyncException {
        TransferOptions o = cli.toTransferOptions();
        String maxAlloc = cli.maxAlloc != null ? cli.maxAlloc : env.get("RSYNC_MAX_ALLOC");
        if (maxAlloc != null && !maxAlloc.isEmpty()) {
            o.maxAlloc = dev.jrsync.protocol.handshake.SizeArg.parse(maxAlloc, 'B', "max-alloc", 1 << 20, false);
        }
        o.compressEnvList = env.get("RSYNC_COMPRESS_LIST");
        o.checksumEnvList = env.get("RSYNC_CHECKSUM_LIST");
        return o;
    }

    private int listModules(ClientOptions cli, RemoteSpec spec) throws IOException {
        try (Connection c = connect(cli, spec)) {
            DaemonClient.handshake(c.input(), c.output(), spec, cli.protocol, passwordSource(cli), List.of(),
                    stdout, !cli.noMotd, env);
            return 0;
        }
    }

    private int push(ClientOptions cli, List<String> srcs, RemoteSpec spec) throws IOException {
        TransferOptions o = transferOptions(cli);
        o.sender = true;
        List<SourceArgs.Arg> args = new ArrayList<>();
        List<ConfinedRoot> roots = new ArrayList<>();
        try {
            for (String s : srcs) {
                args.add(SourceArgs.local(s, roots));
            }
            try (Connection c = connect(cli, spec)) {
                List<String> serverArgs = ServerArgs.build(o, false, List.of(spec.serverPath()));
                DaemonClient.Result r = handshakeWithPassword(c, spec, cli, serverArgs);
                ConsoleLog log = new ConsoleLog(stdout, stderr, o);
                Session session = new Session(c.input(), c.output(), o, false, log);
                session.setOnFailure(() -> closeQuietly(c));
                session.setup(r.protocol());
                session.setupResult().debugLines().forEach(log::info);
                if (o.deleting()) {
                    session.out().writeInt(0);
                }
                if (o.verbose > 0) {
                    log.info("building file list ... done");
                }
                int code;
                try (Session.KeepAlive keepAlive = session.startKeepAlive(o.timeout)) {
                    code = new Sender(session, args).run();
                } catch (RsyncException e) {
                    throw finish(session, e);
                }
                summary(session, o, false);
                return finalCode(worst(code, session), "sender");
            }
        } finally {
            roots.forEach(ClientMain::closeQuietly);
        }
    }

    /** A pull into {@code dest}, or a listing when there is no destination or --list-only was given. */
    private int pull(ClientOptions cli, List<RemoteSpec> srcs, String dest) throws IOException {
        TransferOptions o = transferOptions(cli);
        o.sender = false;
        boolean listing = dest == null || o.listOnly;
        if (listing && !o.recursive) {
            o.dirs = true; // options.c: xfer_dirs = list_only ? 1 : 0
        }
        RemoteSpec spec = srcs.get(0);
        List<String> remotePaths = new ArrayList<>();
        for (RemoteSpec r : srcs) {
            remotePaths.add(r.serverPath());
        }
        try (Connection c = connect(cli, spec)) {
            List<String> serverArgs = ServerArgs.build(o, true, remotePaths);
            DaemonClient.Result r = handshakeWithPassword(c, spec, cli, serverArgs);
            ConsoleLog log = new ConsoleLog(stdout, stderr, o);
            Session session = new Session(c.input(), c.output(), o, false, log);
            session.setOnFailure(() -> closeQuietly(c));
            session.setup(r.protocol());
            session.setupResult().debugLines().forEach(log::info);
            session.out().writeInt(0);
            session.out().flush();
            try {
                if (o.verbose > 0) {
                    log.info("receiving file list ... done");
                }
                Receiving rx = new Receiving(session, null, "");
                List<FileEntry> list = rx.receiveFileList();
                long active = list.stream().filter(e -> e != null).count();
                if (active == 0) {
                    summary(session, o, true);
                    return finalCode(worst(session.exitCode(), session), "Receiver");
                }
                if (listing) {
                    ListFileEntry lister = new ListFileEntry(cli.humanLevel(), o.links, java.time.ZoneId.systemDefault());
                    rx.setListOnly(e -> log.info(lister.line(e)));
                    try (Session.KeepAlive keepAlive = session.startKeepAlive(o.timeout)) {
                        int code = rx.run();
                        summary(session, o, true);
                        return finalCode(worst(code, session), "Receiver");
                    }
                }
                Path destPath = Path.of(dest);
                boolean solo = active == 1 && list.stream().filter(e -> e != null).findFirst().get().isRegular()
                        && !dest.endsWith("/") && !Files.isDirectory(destPath);
                ConfinedRoot root;
                if (solo) {
                    Path parent = destPath.toAbsolutePath().getParent();
                    root = ConfinedRoot.openStrict(parent);
                    rx = rx.withRoot(root, "");
                    rx.setSoloFile(destPath.getFileName().toString());
                } else {
                    boolean created = false;
                    if (!Files.isDirectory(destPath)) {
                        if (o.dryRun) {
                            throw new RsyncException(ExitCode.RERR_UNSUPPORTED,
                                    "--dry-run into a missing destination is not supported by jrsync yet");
                        }
                        Files.createDirectory(destPath);
                        created = true;
                        if (o.verbose > 0) {
                            log.info("created directory " + dest.replaceAll("(?<=.)/+$", ""));
                        }
                    }
                    root = ConfinedRoot.openStrict(destPath);
                    rx = rx.withRoot(root, "");
                    if (created) {
                        rx.markRootCreated();
                    }
                }
                try (root; Session.KeepAlive keepAlive = session.startKeepAlive(o.timeout)) {
                    int code = rx.run();
                    summary(session, o, true);
                    return finalCode(worst(code, session), "Receiver");
                }
            } catch (RsyncException e) {
                throw finish(session, e);
            }
        }
    }

    private DaemonClient.Result handshakeWithPassword(Connection c, RemoteSpec spec, ClientOptions cli,
                                                      List<String> serverArgs) throws IOException {
        try {
            DaemonClient.Result r = DaemonClient.handshake(c.input(), c.output(), spec, cli.protocol,
                    passwordSource(cli), serverArgs, stdout, !cli.noMotd, env);
            if (r.listingDone()) {
                throw new RsyncException(ExitCode.RERR_STARTCLIENT, "the daemon ended the connection");
            }
            return r;
        } catch (PasswordFailure f) {
            throw (RsyncException) f.getCause();
        }
    }

    /** Tells the peer about a local failure (if it does not know yet) and returns the exception to throw. */
    private static RsyncException finish(Session session, RsyncException e) {
        if (!e.peerInformed()) {
            session.sendErrorExit(e.exitCode(), null);
        }
        return e;
    }

    /** rsync's last line for a run that ended with partial failures (log.c:log_exit()). */
    private int finalCode(int code, String role) {
        if (code != 0) {
            stderr.println((code == ExitCode.RERR_VANISHED ? "rsync warning: " : "rsync error: ")
                    + ExitCode.describe(code) + " (code " + code + ") [" + role + "=" + VERSION + "]");
        }
        return code;
    }

    private static int worst(int code, Session session) {
        int peer = session.peerExitCode();
        return peer > 0 && code == 0 ? peer : code;
    }

    private void summary(Session session, TransferOptions o, boolean receiving) {
        if (o.quiet || (o.verbose == 0 && !o.stats)) {
            return;
        }
        Stats s = session.stats();
        long sent = receiving && s.peerRead >= 0 ? s.peerRead : session.out().bytesWritten();
        long received = receiving && s.peerWritten >= 0 ? s.peerWritten : session.in().bytesRead();
        ConsoleLog log = new ConsoleLog(stdout, stderr, new TransferOptions());
        if (o.stats) {
            StatsReport.full(log::info, s, session.protocol(), sent, received);
        }
        StatsReport.summary(log::info, s, sent, received, o.dryRun);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Already failing or closed.
        }
    }
}
