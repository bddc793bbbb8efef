package dev.jrsync.client;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.session.TransferResult;
import dev.jrsync.transport.NettyClient;
import picocli.CommandLine;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The rsync-compatible command line: parses it (picocli), turns it into a {@link TransferRequest} for
 * the Java API ({@link RsyncClient}) and prints what rsync prints: the -v/-i lines and messages as they
 * come, the summary and --stats at the end, rsync's error lines and exit code. One instance per
 * invocation.
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
        // popt takes the word after an option that needs a value as that value, dashes or not (-M --debug=X).
        cmd.setAllowOptionsAsOptionParameters(true);
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
        if (cli.version.length > 0) {
            if (cli.version.length > 1) {
                Usage.printVersionJson(stdout);
            } else {
                Usage.printVersion(stdout);
            }
            return 0;
        }
        try {
            cli.debugLevel("NSTR");
        } catch (IllegalArgumentException e) {
            stderr.println(e.getMessage());
            stderr.println("rsync error: syntax or usage error (code 1) [client=" + VERSION + "]");
            return ExitCode.RERR_SYNTAX;
        }
        TransferRequest request;
        RsyncOptions options;
        try {
            options = cli.toRsyncOptions(env);
            request = request(cli, options);
        } catch (RsyncException e) {
            return failed(e, "client");
        } catch (IllegalStateException e) {
            return failed(new RsyncException(ExitCode.RERR_SYNTAX, "no source given (try --help)"), "client");
        }
        RsyncTransfer transfer = RsyncClient.prepare(request);
        try {
            TransferResult r = transfer.run();
            summary(r, options);
            return finalCode(r.exitCode(), transfer.sending() ? "sender" : "Receiver");
        } catch (RsyncFailure e) {
            return failed(e, transfer.sending() ? "sender" : "Receiver");
        }
    }

    /** The command line as an API request: locations, options, and the console as the place for output. */
    private TransferRequest request(ClientOptions cli, RsyncOptions options) throws RsyncException {
        if (cli.paths.isEmpty()) {
            throw new RsyncException(ExitCode.RERR_SYNTAX, "no source given (try --help)");
        }
        TransferRequest.Builder b = TransferRequest.builder();
        List<String> paths = cli.paths;
        if (paths.size() == 1) {
            b.source(paths.getFirst());
        } else {
            b.sources(paths.subList(0, paths.size() - 1)).destination(paths.getLast());
        }
        ConsoleLog log = new ConsoleLog(stdout, stderr, options.toTransferOptions(env),
                dev.jrsync.protocol.fs.NameBytes.utf8Locale(env));
        ListFileEntry lister = new ListFileEntry(cli.humanLevel(), options.toTransferOptions(env).links,
                java.time.ZoneId.systemDefault());
        dev.jrsync.protocol.handshake.TransferOptions shown = options.toTransferOptions(env);
        b.options(options)
                .environment(env)
                .messages(log)
                // rsync's -v/-i lines, formatted here from the per-item events.
                .listener(e -> {
                    if (e.logged() && e.entry() != null) {
                        log.info(dev.jrsync.protocol.session.Item.logLine(e.entry(), e.iflags(), shown.itemize,
                                e.sending(), shown.times));
                    }
                })
                .entries(e -> log.info(lister.line(e)))
                .motd(!cli.noMotd)
                .rsh(cli.rsh)
                .rsyncPath(cli.rsyncPath)
                .port(Math.max(0, cli.port))
                .connectTimeout(cli.contimeout > 0 ? Duration.ofSeconds(cli.contimeout) : null)
                .address(cli.address)
                .family(cli.family)
                .socketOptions(cli.sockopts)
                .passwordFile(cli.passwordFile)
                .password(ClientMain::consolePassword)
                .secludedArgs(cli.noSecludedArgs ? Boolean.FALSE : cli.secludedArgs)
                .oldArgs(cli.noOldArgs ? Integer.valueOf(0) : cli.oldArgs.length > 0 ? cli.oldArgs.length : null);
        cli.remoteOptions.forEach(b::remoteOption);
        return b.build();
    }

    /** rsync asks on the terminal when the daemon wants a password and none was given otherwise. */
    private static String consolePassword() {
        java.io.Console console = System.console();
        if (console != null) {
            char[] pw = console.readPassword("Password: ");
            return pw == null ? "" : new String(pw);
        }
        return "";
    }

    /** rsync's error lines for a run that did not complete; returns its exit code. */
    private int failed(RsyncException e, String role) {
        if (!e.peerInformed() && e.getMessage() != null && !e.getMessage().isEmpty()) {
            stderr.println(e.isVerbatim() || e.getMessage().startsWith("@ERROR") || e.getMessage().startsWith("ERROR")
                    ? e.getMessage() : "rsync: " + e.getMessage());
        }
        stderr.println("rsync error: " + ExitCode.describe(e.exitCode()) + " (code " + e.exitCode() + ") ["
                + role + "=" + VERSION + "]");
        return e.exitCode();
    }

    /** rsync's last line for a run that ended with partial failures (log.c:log_exit()). */
    private int finalCode(int code, String role) {
        if (code != 0) {
            stderr.println((code == ExitCode.RERR_VANISHED ? "rsync warning: " : "rsync error: ")
                    + ExitCode.describe(code) + " (code " + code + ") [" + role + "=" + VERSION + "]");
        }
        return code;
    }

    private void summary(TransferResult r, RsyncOptions o) {
        if (o.quiet() || (o.verbose() == 0 && !o.stats())) {
            return;
        }
        ConsoleLog log = new ConsoleLog(stdout, stderr, new TransferOptions());
        if (o.stats()) {
            StatsReport.full(log::info, r.stats(), r.protocol(), r.bytesSent(), r.bytesReceived());
        }
        StatsReport.summary(log::info, r.stats(), r.bytesSent(), r.bytesReceived(), o.dryRun());
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Already failing or closed.
        }
    }
}
