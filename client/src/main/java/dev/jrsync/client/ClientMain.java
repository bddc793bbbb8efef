package dev.jrsync.client;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.handshake.Greeting;
import dev.jrsync.protocol.handshake.ServerArgs;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.session.ClientRun;
import dev.jrsync.protocol.session.LocalName;
import dev.jrsync.protocol.session.PathDestination;
import dev.jrsync.protocol.session.SourceArgs;
import dev.jrsync.protocol.session.TransferResult;
import dev.jrsync.protocol.wire.Duplex;
import dev.jrsync.transport.Connection;
import dev.jrsync.transport.NettyClient;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
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
            String only = paths.getFirst();
            Optional<RemoteSpec> r = RemoteSpec.parse(only);
            if (r.isPresent() && r.get().isListing()) {
                return listModules(cli, r.get());
            }
            if (r.isPresent()) {
                return pull(cli, List.of(r.get()), null);
            }
            Optional<ShellSpec> sh = ShellSpec.parse(only);
            if (sh.isPresent()) {
                return shellPull(cli, List.of(sh.get()), null);
            }
            return localCopy(cli, paths, null);
        }
        String dest = paths.get(paths.size() - 1);
        List<String> srcs = paths.subList(0, paths.size() - 1);
        Optional<RemoteSpec> destRemote = RemoteSpec.parse(dest);
        Optional<ShellSpec> destShell = ShellSpec.parse(dest);
        Optional<RemoteSpec> firstDaemon = RemoteSpec.parse(srcs.getFirst());
        Optional<ShellSpec> firstShell = ShellSpec.parse(srcs.getFirst());
        if (firstDaemon.isPresent() || firstShell.isPresent()) {
            if (destRemote.isPresent() || destShell.isPresent()) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "The source and destination cannot both be remote.");
            }
            if (firstDaemon.isPresent()) {
                List<RemoteSpec> remoteSrcs = new ArrayList<>();
                for (String s : srcs) {
                    Optional<RemoteSpec> r = RemoteSpec.parse(s);
                    if (r.isEmpty()) {
                        throw unexpectedLocal(s, ShellSpec.parse(s).isPresent());
                    }
                    if (!r.get().sameDaemon(firstDaemon.get())) {
                        throw new RsyncException(ExitCode.RERR_SYNTAX, "all sources must be on the same daemon module");
                    }
                    remoteSrcs.add(r.get());
                }
                return pull(cli, remoteSrcs, dest);
            }
            List<ShellSpec> shellSrcs = new ArrayList<>();
            for (String s : srcs) {
                Optional<ShellSpec> r = ShellSpec.parse(s);
                if (r.isEmpty()) {
                    throw unexpectedLocal(s, RemoteSpec.parse(s).isPresent());
                }
                if (!r.get().host().isEmpty() && !r.get().host().equals(firstShell.get().host())) {
                    throw new RsyncException(ExitCode.RERR_SYNTAX, "All source args must come from the same machine.");
                }
                shellSrcs.add(r.get());
            }
            return shellPull(cli, shellSrcs, dest);
        }
        for (String s : srcs) {
            if (s.isEmpty()) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "Empty source arg specified.");
            }
            if (RemoteSpec.parse(s).isPresent() || ShellSpec.parse(s).isPresent()) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "Unexpected remote arg: " + s);
            }
        }
        if (destRemote.isPresent()) {
            if (cli.listOnly) {
                // Stock lists the local sources and never contacts the daemon: a local listing.
                return localCopy(cli, srcs, null);
            }
            return push(cli, srcs, destRemote.get());
        }
        if (destShell.isPresent()) {
            if (cli.listOnly) {
                return localCopy(cli, srcs, null);
            }
            return shellPush(cli, srcs, destShell.get());
        }
        return localCopy(cli, srcs, cli.listOnly ? null : dest);
    }

    private static RsyncException unexpectedLocal(String arg, boolean otherKind) {
        if (otherKind) {
            return new RsyncException(ExitCode.RERR_SYNTAX, "All source args must use the same hostspec format.");
        }
        return new RsyncException(ExitCode.RERR_SYNTAX, "Unexpected local arg: " + arg
                + "\nIf arg is a remote file/dir, prefix it with a colon (:).");
    }

    /**
     * A copy with no remote side (main.c: local_server): both roles in this JVM over in-memory pipes;
     * the far side parses the server arguments this side builds, as rsync's forked child does. With
     * {@code dest} null the sources are listed (the far side sends, this side lists).
     */
    private int localCopy(ClientOptions cli, List<String> srcs, String dest) throws IOException {
        TransferOptions o = transferOptions(cli);
        if (o.wholeFile == null) {
            o.wholeFile = true; // main.c:do_cmd(): a local copy defaults to --whole-file
        }
        o.localServer = true;
        List<String> remoteOptions = remoteOptions(cli);
        if (dest == null) {
            o.sender = false;
            if (!o.recursive) {
                o.dirs = true;
            }
            List<String> serverArgs = ServerArgs.build(o, true, srcs);
            ConsoleLog log = new ConsoleLog(stdout, stderr, o);
            ListFileEntry lister = new ListFileEntry(cli.humanLevel(), o.links, java.time.ZoneId.systemDefault());
            try (LocalPipe pipe = LocalPipe.start(serverArgs, remoteOptions)) {
                TransferResult r = pipe.run(() -> ClientRun.pull(pipe.client(), ClientRun.EXCHANGE, o, log, null,
                        e -> log.info(lister.line(e))));
                return finished(r, o, "Receiver");
            }
        }
        o.sender = true;
        List<ConfinedRoot> roots = new ArrayList<>();
        try {
            List<SourceArgs.Arg> args = localSources(srcs, roots);
            List<String> serverArgs = ServerArgs.build(o, false, List.of(dest.isEmpty() ? "." : dest));
            try (LocalPipe pipe = LocalPipe.start(serverArgs, remoteOptions)) {
                TransferResult r = pipe.run(() -> ClientRun.push(pipe.client(), ClientRun.EXCHANGE, o,
                        new ConsoleLog(stdout, stderr, o), args));
                return finished(r, o, "sender");
            }
        } finally {
            roots.forEach(ClientMain::closeQuietly);
        }
    }

    private int shellPush(ClientOptions cli, List<String> srcs, ShellSpec spec) throws IOException {
        TransferOptions o = transferOptions(cli);
        o.sender = true;
        List<ConfinedRoot> roots = new ArrayList<>();
        try {
            List<SourceArgs.Arg> args = localSources(srcs, roots);
            List<String> serverArgs = ServerArgs.build(o, false, List.of(spec.serverPath()));
            try (RemoteShellLink link = RemoteShellLink.start(remoteCommand(cli, spec.user(), spec.host(),
                    serverArgs, true), "sender")) {
                TransferResult r = link.run(() -> ClientRun.push(link.duplex(), ClientRun.EXCHANGE, o,
                        new ConsoleLog(stdout, stderr, o), args));
                return finished(r, o, "sender");
            }
        } finally {
            roots.forEach(ClientMain::closeQuietly);
        }
    }

    private int shellPull(ClientOptions cli, List<ShellSpec> srcs, String dest) throws IOException {
        TransferOptions o = transferOptions(cli);
        o.sender = false;
        boolean listing = dest == null || o.listOnly;
        if (listing && !o.recursive) {
            o.dirs = true;
        }
        List<String> remotePaths = new ArrayList<>();
        for (ShellSpec r : srcs) {
            remotePaths.add(r.serverPath());
        }
        ShellSpec spec = srcs.getFirst();
        List<String> serverArgs = ServerArgs.build(o, true, remotePaths);
        ConsoleLog log = new ConsoleLog(stdout, stderr, o);
        ListFileEntry lister = listing ? new ListFileEntry(cli.humanLevel(), o.links, java.time.ZoneId.systemDefault())
                : null;
        try (LocalName.Destination d = listing ? null : new PathDestination(dest);
             RemoteShellLink link = RemoteShellLink.start(remoteCommand(cli, spec.user(), spec.host(),
                     serverArgs, false), "Receiver")) {
            TransferResult r = link.run(() -> ClientRun.pull(link.duplex(), ClientRun.EXCHANGE, o, log, d,
                    lister == null ? null : e -> log.info(lister.line(e))));
            return finished(r, o, "Receiver");
        }
    }

    private RemoteCommand remoteCommand(ClientOptions cli, String user, String host, List<String> serverArgs,
                                        boolean clientSends) throws RsyncException {
        if (host.startsWith("-")) {
            throw new RsyncException(ExitCode.RERR_SYNTAX, "Invalid remote host: hostnames may not start with '-'.");
        }
        if (cli.passwordFile != null) {
            throw new RsyncException(ExitCode.RERR_SYNTAX,
                    "The --password-file option may only be used when accessing an rsync daemon.");
        }
        if (cli.contimeout > 0) {
            throw new RsyncException(ExitCode.RERR_SYNTAX,
                    "The --contimeout option may only be used when connecting to an rsync daemon.");
        }
        return RemoteCommand.build(rsh(cli), user, host, cli.rsyncPath, serverArgs, remoteOptions(cli),
                secluded(cli), oldArgs(cli), 0, clientSends);
    }

    private String rsh(ClientOptions cli) {
        return cli.rsh != null ? cli.rsh : env.get("RSYNC_RSH");
    }

    private static List<String> remoteOptions(ClientOptions cli) throws RsyncException {
        for (String m : cli.remoteOptions) {
            if (!m.startsWith("-")) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "Remote option must start with a dash: " + m);
            }
        }
        return cli.remoteOptions;
    }

    /** options.c: -s, else RSYNC_PROTECT_ARGS, else off (Debian's build); --old-args turns it off. */
    private boolean secluded(ClientOptions cli) throws RsyncException {
        if (cli.oldArgs.length > 0 && Boolean.TRUE.equals(cli.secludedArgs)) {
            throw new RsyncException(ExitCode.RERR_SYNTAX, "--secluded-args conflicts with --old-args.");
        }
        if (cli.noSecludedArgs || cli.oldArgs.length > 0) {
            return false;
        }
        if (cli.secludedArgs != null) {
            return cli.secludedArgs;
        }
        return envFlag("RSYNC_PROTECT_ARGS") != 0;
    }

    /** options.c old_style_args: --old-args counts, else RSYNC_OLD_ARGS (unless -s), else 0. */
    private int oldArgs(ClientOptions cli) {
        if (cli.noOldArgs) {
            return 0;
        }
        if (cli.oldArgs.length > 0) {
            return cli.oldArgs.length;
        }
        return Boolean.TRUE.equals(cli.secludedArgs) ? 0 : envFlag("RSYNC_OLD_ARGS");
    }

    /** An environment number as rsync's atoi() reads it: 0 when unset or not a number. */
    private int envFlag(String name) {
        String e = env.get(name);
        if (e == null) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*([+-]?\\d+)").matcher(e);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private Connection connect(ClientOptions cli, RemoteSpec spec) throws IOException {
        int port = spec.port() > 0 ? spec.port() : cli.port > 0 ? cli.port : 873;
        Duration timeout = cli.contimeout > 0 ? Duration.ofSeconds(cli.contimeout) : Duration.ofSeconds(30);
        Connection c = NettyClient.connect(spec.host(), port, timeout);
        if (cli.timeout > 0) {
            c.setReadTimeout(Duration.ofSeconds(cli.timeout));
        }
        return c;
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
        TransferResult r = overDaemon(cli, spec, "Receiver", d -> {
            DaemonClient.handshake(d.input(), d.output(), spec, cli.protocol, passwordSource(cli), List.of(),
                    stdout, !cli.noMotd, env);
            return new TransferResult(0, new dev.jrsync.protocol.session.Stats(), 0, 0, 0);
        });
        return r.exitCode();
    }

    private int push(ClientOptions cli, List<String> srcs, RemoteSpec spec) throws IOException {
        TransferOptions o = transferOptions(cli);
        o.sender = true;
        List<ConfinedRoot> roots = new ArrayList<>();
        try {
            List<SourceArgs.Arg> args = localSources(srcs, roots);
            List<String> serverArgs = ServerArgs.build(o, false, List.of(spec.serverPath()));
            TransferResult result = overDaemon(cli, spec, "sender", d -> {
                DaemonClient.Result r = handshakeWithPassword(d, spec, cli, serverArgs);
                return ClientRun.push(d, r.protocol(), o, new ConsoleLog(stdout, stderr, o), args);
            });
            return finished(result, o, "sender");
        } finally {
            roots.forEach(ClientMain::closeQuietly);
        }
    }

    /** A transfer over a daemon connection: TCP, or with -e a daemon the remote shell starts. */
    @FunctionalInterface
    private interface DaemonTransfer {
        TransferResult run(Duplex d) throws IOException;
    }

    private TransferResult overDaemon(ClientOptions cli, RemoteSpec spec, String role, DaemonTransfer body)
            throws IOException {
        if (cli.rsh == null) {
            try (Connection c = connect(cli, spec)) {
                return body.run(c);
            }
        }
        if (spec.port() > 0 || cli.port > 0) {
            // Accepted by stock too: the port only names the daemon's RSYNC_PORT over a remote shell.
        }
        try (RemoteShellLink link = RemoteShellLink.start(RemoteCommand.daemon(rsh(cli), spec.user(), spec.host(),
                cli.rsyncPath), role)) {
            return link.run(() -> body.run(link.duplex()));
        }
    }

    static List<SourceArgs.Arg> localSources(List<String> srcs, List<ConfinedRoot> roots) throws IOException {
        List<SourceArgs.Arg> args = new ArrayList<>();
        for (String s : srcs) {
            args.add(SourceArgs.local(s, roots));
        }
        return args;
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
        try (LocalName.Destination dst = listing ? null : new PathDestination(dest)) {
            List<String> serverArgs = ServerArgs.build(o, true, remotePaths);
            ConsoleLog log = new ConsoleLog(stdout, stderr, o);
            ListFileEntry lister = listing ? new ListFileEntry(cli.humanLevel(), o.links, java.time.ZoneId.systemDefault())
                    : null;
            TransferResult result = overDaemon(cli, spec, "Receiver", d -> {
                DaemonClient.Result r = handshakeWithPassword(d, spec, cli, serverArgs);
                return ClientRun.pull(d, r.protocol(), o, log, dst, lister == null ? null : e -> log.info(lister.line(e)));
            });
            return finished(result, o, "Receiver");
        }
    }

    /** The summary lines (-v, --stats) and rsync's closing error line for a partial outcome. */
    private int finished(TransferResult r, TransferOptions o, String role) {
        summary(r, o);
        return finalCode(r.exitCode(), role);
    }

    private DaemonClient.Result handshakeWithPassword(Duplex c, RemoteSpec spec, ClientOptions cli,
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

    /** rsync's last line for a run that ended with partial failures (log.c:log_exit()). */
    private int finalCode(int code, String role) {
        if (code != 0) {
            stderr.println((code == ExitCode.RERR_VANISHED ? "rsync warning: " : "rsync error: ")
                    + ExitCode.describe(code) + " (code " + code + ") [" + role + "=" + VERSION + "]");
        }
        return code;
    }

    private void summary(TransferResult r, TransferOptions o) {
        if (o.quiet || (o.verbose == 0 && !o.stats)) {
            return;
        }
        ConsoleLog log = new ConsoleLog(stdout, stderr, new TransferOptions());
        if (o.stats) {
            StatsReport.full(log::info, r.stats(), r.protocol(), r.bytesSent(), r.bytesReceived());
        }
        StatsReport.summary(log::info, r.stats(), r.bytesSent(), r.bytesReceived(), o.dryRun);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Already failing or closed.
        }
    }
}
