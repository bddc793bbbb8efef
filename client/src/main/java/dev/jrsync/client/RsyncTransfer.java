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
import dev.jrsync.protocol.session.SessionLog;
import dev.jrsync.protocol.session.SourceArgs;
import dev.jrsync.protocol.session.Stats;
import dev.jrsync.protocol.session.TransferResult;
import dev.jrsync.protocol.wire.Duplex;
import dev.jrsync.transport.Connection;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One prepared transfer (main.c:start_client()): works out from the request's locations which way to
 * connect (daemon over TCP or over a remote shell, a remote-shell server, or a local copy), connects
 * and runs the client side. {@link #run()} blocks; {@link #cancel()} may be called from any thread:
 * it drops the connection, so the transfer ends with {@link RsyncFailure.Kind#CANCELLED} and no
 * partially received file is left under a real name (files are received into temporary names).
 * Run once.
 */
public final class RsyncTransfer {
    private final TransferRequest req;
    private volatile Duplex current;
    private volatile boolean cancelled;
    private volatile boolean sending;

    RsyncTransfer(TransferRequest req) {
        this.req = req;
    }

    /** Stops the transfer from another thread; idempotent. */
    public void cancel() {
        cancelled = true;
        Duplex d = current;
        if (d != null) {
            d.close();
        }
    }

    /**
     * Whether this side sends the files (a push or local copy: main.c am_sender), which names rsync's
     * role in messages; known once {@link #run()} has looked at the locations.
     */
    public boolean sending() {
        return sending;
    }

    /**
     * Runs the transfer. Returns its result when the session completed, also with some files
     * failed (exit code 23/24 in the result); throws {@link RsyncFailure} when it did not.
     */
    public TransferResult run() throws RsyncFailure {
        try {
            if (req.options().protocol() < Greeting.MIN_PROTOCOL || req.options().protocol() > Greeting.NEWEST_SUPPORTED) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "--protocol=" + req.options().protocol()
                        + " is outside the supported range " + Greeting.OLDEST_SUPPORTED + ".." + Greeting.NEWEST_SUPPORTED);
            }
            TransferResult r = dispatch();
            if (cancelled) {
                throw cancelledFailure(null);
            }
            return r;
        } catch (RsyncFailure f) {
            throw f;
        } catch (RsyncException e) {
            throw cancelled ? cancelledFailure(e) : RsyncFailure.of(e);
        } catch (IOException e) {
            if (cancelled) {
                throw cancelledFailure(e);
            }
            throw new RsyncFailure(RsyncFailure.Kind.CONNECTION, ExitCode.RERR_SOCKETIO, e.getMessage(), e, false);
        }
    }

    private static RsyncFailure cancelledFailure(Throwable cause) {
        return new RsyncFailure(RsyncFailure.Kind.CANCELLED, ExitCode.RERR_SIGNAL, "transfer cancelled", cause, false);
    }

    private TransferResult dispatch() throws IOException {
        List<String> srcs = req.sources();
        String dest = req.destination();
        if (dest == null && srcs.size() == 1) {
            // main.c: one argument and no destination lists it (options.c: list_only |= 1).
            String only = srcs.getFirst();
            Optional<RemoteSpec> r = RemoteSpec.parse(only);
            if (r.isPresent() && r.get().isListing()) {
                return listModules(r.get());
            }
            if (r.isPresent()) {
                return pull(List.of(r.get()), null);
            }
            Optional<ShellSpec> sh = ShellSpec.parse(only);
            if (sh.isPresent()) {
                return shellPull(List.of(sh.get()), null);
            }
            return localCopy(srcs, null);
        }
        if (dest == null) {
            throw new RsyncException(ExitCode.RERR_SYNTAX, "no destination given for " + srcs.size() + " sources");
        }
        Optional<RemoteSpec> destRemote = RemoteSpec.parse(dest);
        Optional<ShellSpec> destShell = ShellSpec.parse(dest);
        Optional<RemoteSpec> firstDaemon = RemoteSpec.parse(srcs.getFirst());
        Optional<ShellSpec> firstShell = ShellSpec.parse(srcs.getFirst());
        boolean listOnly = req.options().toTransferOptions(req.environment()).listOnly;
        sending = firstDaemon.isEmpty() && firstShell.isEmpty();
        if (firstDaemon.isPresent() || firstShell.isPresent()) {
            if (destRemote.isPresent() || destShell.isPresent()) {
                throw RsyncException.verbatim(ExitCode.RERR_SYNTAX, "The source and destination cannot both be remote.");
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
                return pull(remoteSrcs, dest);
            }
            List<ShellSpec> shellSrcs = new ArrayList<>();
            for (String s : srcs) {
                Optional<ShellSpec> r = ShellSpec.parse(s);
                if (r.isEmpty()) {
                    throw unexpectedLocal(s, RemoteSpec.parse(s).isPresent());
                }
                if (!r.get().host().isEmpty() && !r.get().host().equals(firstShell.get().host())) {
                    throw RsyncException.verbatim(ExitCode.RERR_SYNTAX, "All source args must come from the same machine.");
                }
                shellSrcs.add(r.get());
            }
            return shellPull(shellSrcs, dest);
        }
        for (String s : srcs) {
            if (s.isEmpty()) {
                throw RsyncException.verbatim(ExitCode.RERR_SYNTAX, "Empty source arg specified.");
            }
            if (RemoteSpec.parse(s).isPresent() || ShellSpec.parse(s).isPresent()) {
                throw RsyncException.verbatim(ExitCode.RERR_SYNTAX, "Unexpected remote arg: " + s);
            }
        }
        if (destRemote.isPresent()) {
            // With --list-only stock lists the local sources and never contacts the daemon.
            return listOnly ? localCopy(srcs, null) : push(srcs, destRemote.get());
        }
        if (destShell.isPresent()) {
            return listOnly ? localCopy(srcs, null) : shellPush(srcs, destShell.get());
        }
        return localCopy(srcs, listOnly ? null : dest);
    }

    private static RsyncException unexpectedLocal(String arg, boolean otherKind) {
        if (otherKind) {
            return RsyncException.verbatim(ExitCode.RERR_SYNTAX, "All source args must use the same hostspec format.");
        }
        return RsyncException.verbatim(ExitCode.RERR_SYNTAX, "Unexpected local arg: " + arg
                + "\nIf arg is a remote file/dir, prefix it with a colon (:).");
    }

    private TransferOptions options() {
        return req.options().toTransferOptions(req.environment());
    }

    private SessionLog log() {
        return req.messages();
    }

    private ClientRun.Context ctx(boolean localServer) {
        return new ClientRun.Context(log(), req.listener(),
                dev.jrsync.protocol.handshake.NegotiationLists.from(req.environment()), localServer);
    }

    private <T extends Duplex> T track(T d) {
        current = d;
        if (cancelled) {
            d.close();
        }
        return d;
    }

    /** A push's body, given the resolved local sources. */
    @FunctionalInterface
    private interface PushBody {
        TransferResult run(List<SourceArgs.Arg> sources) throws IOException;
    }

    /** Resolves the local sources of a push (this side sends), runs {@code body}, then closes their roots. */
    private TransferResult pushing(List<String> srcs, TransferOptions o, PushBody body) throws IOException {
        o.sender = true;
        sending = true;
        List<ConfinedRoot> roots = new ArrayList<>();
        try {
            List<SourceArgs.Arg> args = new ArrayList<>();
            for (String s : srcs) {
                args.add(o.relative ? SourceArgs.localRelative(s, roots) : SourceArgs.local(s, roots));
            }
            return body.run(args);
        } finally {
            roots.forEach(RsyncTransfer::closeQuietly);
        }
    }

    /**
     * A copy with no remote side (main.c: local_server): both roles in this JVM over in-memory pipes;
     * the far side parses the server arguments this side builds, as rsync's forked child does. With
     * {@code dest} null the sources are listed (the far side sends, this side lists).
     */
    private TransferResult localCopy(List<String> srcs, String dest) throws IOException {
        TransferOptions o = options();
        if (o.wholeFile == null) {
            o.wholeFile = true; // main.c:do_cmd(): a local copy defaults to --whole-file
        }
        List<String> remoteOptions = remoteOptions();
        if (dest == null) {
            o.sender = false;
            if (!o.recursive) {
                o.dirs = true;
            }
            List<String> serverArgs = ServerArgs.build(o, true, srcs);
            try (LocalPipe pipe = LocalPipe.start(serverArgs, remoteOptions)) {
                track(pipe.client());
                return pipe.run(() -> ClientRun.pull(pipe.client(), ClientRun.EXCHANGE, o, ctx(true),
                        null, req.entries()));
            }
        }
        return pushing(srcs, o, args -> {
            List<String> serverArgs = ServerArgs.build(o, false, List.of(dest.isEmpty() ? "." : dest));
            try (LocalPipe pipe = LocalPipe.start(serverArgs, remoteOptions)) {
                track(pipe.client());
                return pipe.run(() -> ClientRun.push(pipe.client(), ClientRun.EXCHANGE, o, ctx(true), args));
            }
        });
    }

    private TransferResult shellPush(List<String> srcs, ShellSpec spec) throws IOException {
        TransferOptions o = options();
        return pushing(srcs, o, args -> {
            List<String> serverArgs = ServerArgs.build(o, false, List.of(spec.serverPath()));
            try (RemoteShellLink link = RemoteShellLink.start(remoteCommand(spec.user(), spec.host(), serverArgs,
                    true), "sender")) {
                track(link.duplex());
                return link.run(() -> ClientRun.push(link.duplex(), ClientRun.EXCHANGE, o, ctx(false), args));
            }
        });
    }

    private TransferResult shellPull(List<ShellSpec> srcs, String dest) throws IOException {
        TransferOptions o = options();
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
        try (LocalName.Destination d = listing ? null : new PathDestination(dest);
             RemoteShellLink link = RemoteShellLink.start(remoteCommand(spec.user(), spec.host(), serverArgs, false),
                     "Receiver")) {
            track(link.duplex());
            return link.run(() -> ClientRun.pull(link.duplex(), ClientRun.EXCHANGE, o, ctx(false), d,
                    listing ? req.entries() : null));
        }
    }

    private RemoteCommand remoteCommand(String user, String host, List<String> serverArgs, boolean clientSends)
            throws RsyncException {
        if (host.startsWith("-")) {
            throw RsyncException.verbatim(ExitCode.RERR_SYNTAX, "Invalid remote host: hostnames may not start with '-'.");
        }
        if (req.passwordFile() != null) {
            throw RsyncException.verbatim(ExitCode.RERR_SYNTAX,
                    "The --password-file option may only be used when accessing an rsync daemon.");
        }
        if (req.connectTimeout() != null) {
            throw RsyncException.verbatim(ExitCode.RERR_SYNTAX,
                    "The --contimeout option may only be used when connecting to an rsync daemon.");
        }
        int family = switch (req.family()) {
            case INET -> 4;
            case INET6 -> 6;
            case ANY -> 0;
        };
        return RemoteCommand.build(req.rsh(), user, host, req.rsyncPath(), serverArgs, remoteOptions(), secluded(),
                oldArgs(), family, clientSends);
    }

    private List<String> remoteOptions() throws RsyncException {
        for (String m : req.remoteOptions()) {
            if (!m.startsWith("-")) {
                throw RsyncException.verbatim(ExitCode.RERR_SYNTAX, "Remote option must start with a dash: " + m);
            }
        }
        return req.remoteOptions();
    }

    /** options.c: -s, else RSYNC_PROTECT_ARGS, else off (Debian's build); --old-args turns it off. */
    private boolean secluded() throws RsyncException {
        int old = req.oldArgs() == null ? 0 : req.oldArgs();
        if (old > 0 && Boolean.TRUE.equals(req.secludedArgs())) {
            throw RsyncException.verbatim(ExitCode.RERR_SYNTAX, "--secluded-args conflicts with --old-args.");
        }
        if (old > 0) {
            return false;
        }
        if (req.secludedArgs() != null) {
            return req.secludedArgs();
        }
        return envNumber("RSYNC_PROTECT_ARGS") != 0;
    }

    /** options.c old_style_args: --old-args counts, else RSYNC_OLD_ARGS (unless -s), else 0. */
    private int oldArgs() {
        if (req.oldArgs() != null) {
            return req.oldArgs();
        }
        return Boolean.TRUE.equals(req.secludedArgs()) ? 0 : envNumber("RSYNC_OLD_ARGS");
    }

    /** An environment number as rsync's atoi() reads it: 0 when unset or not a number. */
    private int envNumber(String name) {
        String e = req.environment().get(name);
        if (e == null) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*([+-]?\\d+)").matcher(e);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** socket.c:open_socket_out(): address family, bind address, socket options, RSYNC_PROXY, --contimeout. */
    private Connection connect(RemoteSpec spec) throws IOException {
        int port = spec.port() > 0 ? spec.port() : req.port() > 0 ? req.port() : 873;
        // options.c: without --contimeout the wait is left to the system.
        Duration timeout = req.connectTimeout() != null ? req.connectTimeout() : Duration.ZERO;
        Connection c = dev.jrsync.transport.TcpConnect.open(new dev.jrsync.transport.TcpConnect.Target(spec.host(),
                port, req.address(), req.family(), dev.jrsync.transport.SocketOptions.parse(req.socketOptions()),
                timeout, req.environment().get("RSYNC_PROXY")), log()::error);
        if (req.options().timeout() > 0) {
            c.setReadTimeout(Duration.ofSeconds(req.options().timeout()));
        }
        return c;
    }

    private Supplier<String> passwordSource() {
        return () -> {
            try {
                if (req.passwordFile() != null) {
                    return DaemonClient.readPasswordFile(req.passwordFile());
                }
            } catch (RsyncException e) {
                throw new PasswordFailure(e);
            }
            String p = req.environment().get("RSYNC_PASSWORD");
            if (p != null) {
                return p;
            }
            return req.password() != null ? req.password().get() : "";
        };
    }

    /** Carries a password-file error out of the supplier. */
    private static final class PasswordFailure extends RuntimeException {
        PasswordFailure(RsyncException cause) {
            super(cause);
        }
    }

    private TransferResult listModules(RemoteSpec spec) throws IOException {
        return overDaemon(spec, "Receiver", d -> {
            DaemonClient.handshake(d.input(), d.output(), spec, req.options().protocol(), passwordSource(), List.of(),
                    log()::info, req.motd(), req.environment());
            return new TransferResult(0, new Stats(), 0, 0, 0);
        });
    }

    private TransferResult push(List<String> srcs, RemoteSpec spec) throws IOException {
        TransferOptions o = options();
        return pushing(srcs, o, args -> {
            List<String> serverArgs = ServerArgs.build(o, false, List.of(spec.serverPath()));
            return overDaemon(spec, "sender", d -> {
                DaemonClient.Result r = handshake(d, spec, serverArgs);
                return ClientRun.push(d, r.protocol(), o, ctx(false), args);
            });
        });
    }

    /** A pull into {@code dest}, or a listing when there is no destination or --list-only was given. */
    private TransferResult pull(List<RemoteSpec> srcs, String dest) throws IOException {
        TransferOptions o = options();
        o.sender = false;
        boolean listing = dest == null || o.listOnly;
        if (listing && !o.recursive) {
            o.dirs = true; // options.c: xfer_dirs = list_only ? 1 : 0
        }
        RemoteSpec spec = srcs.getFirst();
        List<String> remotePaths = new ArrayList<>();
        for (RemoteSpec r : srcs) {
            remotePaths.add(r.serverPath());
        }
        try (LocalName.Destination dst = listing ? null : new PathDestination(dest)) {
            List<String> serverArgs = ServerArgs.build(o, true, remotePaths);
            return overDaemon(spec, "Receiver", d -> {
                DaemonClient.Result r = handshake(d, spec, serverArgs);
                return ClientRun.pull(d, r.protocol(), o, ctx(false), dst, listing ? req.entries() : null);
            });
        }
    }

    /** A transfer over a daemon connection: TCP, or with -e a daemon the remote shell starts. */
    @FunctionalInterface
    private interface DaemonTransfer {
        TransferResult run(Duplex d) throws IOException;
    }

    private TransferResult overDaemon(RemoteSpec spec, String role, DaemonTransfer body) throws IOException {
        if (!req.explicitRsh()) {
            try (Connection c = track(connect(spec))) {
                return body.run(c);
            }
        }
        // main.c: with -e, a daemon address goes over the remote shell (--port then only names RSYNC_PORT).
        try (RemoteShellLink link = RemoteShellLink.start(RemoteCommand.daemon(req.rsh(), spec.user(), spec.host(),
                req.rsyncPath()), role)) {
            track(link.duplex());
            return link.run(() -> body.run(link.duplex()));
        }
    }

    /**
     * clientserver.c:start_inband_exchange(): the text phase, then the argument list with the -M
     * options; with -s only its first part, the rest NUL-separated after it.
     */
    private DaemonClient.Result handshake(Duplex c, RemoteSpec spec, List<String> serverArgs) throws IOException {
        List<String> args = new ArrayList<>(serverArgs);
        RemoteCommand.Secluded split = null;
        if (secluded()) {
            split = RemoteCommand.seclude(serverArgs, remoteOptions());
            args = new ArrayList<>(split.commandLine()); // the first list stops where the secluded part starts
        } else {
            args.addAll(args.indexOf("."), remoteOptions());
        }
        try {
            DaemonClient.Result r = DaemonClient.handshake(c.input(), c.output(), spec, req.options().protocol(),
                    passwordSource(), args, log()::info, req.motd(), req.environment());
            if (r.listingDone()) {
                throw new RsyncException(ExitCode.RERR_STARTCLIENT, "the daemon ended the connection");
            }
            if (split != null) {
                for (String a : split.secluded()) {
                    c.output().write(dev.jrsync.protocol.fs.NameBytes.encode(a));
                    c.output().write(0);
                }
                c.output().write(0);
                c.output().flush();
            }
            return r;
        } catch (PasswordFailure f) {
            throw (RsyncException) f.getCause();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Already failing or closed.
        }
    }
}
