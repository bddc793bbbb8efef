package dev.jrsync.daemon;

import dev.jrsync.daemon.config.AuthUsers;
import dev.jrsync.daemon.config.ModuleConfig;
import dev.jrsync.daemon.config.RsyncdConf;
import dev.jrsync.daemon.config.Secrets;
import dev.jrsync.daemon.config.UserGroups;
import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.handshake.AuthDigest;
import dev.jrsync.protocol.handshake.Greeting;
import dev.jrsync.protocol.handshake.Lines;
import dev.jrsync.protocol.handshake.ServerArgs;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.session.ConfinedDestination;
import dev.jrsync.protocol.session.LocalName;
import dev.jrsync.protocol.session.StartServer;
import dev.jrsync.protocol.session.Session;
import dev.jrsync.protocol.session.SourceArgs;
import dev.jrsync.transport.Connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One daemon connection from greeting to goodbye (clientserver.c:start_daemon(), rsync_module()).
 * Runs on its own virtual thread; failures end only this connection.
 */
final class ConnectionSession {
    /** rsync 3.5.0 bounds the whole pre-transfer handshake. */
    static final Duration HANDSHAKE_DEADLINE = Duration.ofSeconds(60);
    /** The most of a motd file sent (stock sends it all; a bound keeps a huge file from filling memory). */
    private static final int MAX_MOTD = 1 << 20;
    /** The version this daemon names in "rsync error: ... [Receiver=VERSION]" lines. */
    static final String JRSYNC_VERSION = "jrsync";

    /**
     * File-list memory of all connections together: half the heap, so that hostile clients sending
     * huge lists fail with exit 22 instead of starving every other connection. JVM-wide on purpose.
     */
    private static final dev.jrsync.protocol.MemoryBudget FILE_LISTS = new dev.jrsync.protocol.MemoryBudget(
            "the daemon's file-list memory (half the heap)", Runtime.getRuntime().maxMemory() / 2, null);

    private final RsyncdConf conf;
    private final DaemonLog log;
    private final Connection conn;
    private final ConcurrentHashMap<String, AtomicInteger> connections;

    private final Duration handshakeDeadline;
    /** Stock's start_daemon() returns -1 (exit 255) when no transfer ran; else the transfer's exit code. */
    private int exitCode = 255;

    ConnectionSession(RsyncdConf conf, DaemonLog log, Connection conn, ConcurrentHashMap<String, AtomicInteger> connections,
                      Duration handshakeDeadline) {
        this.handshakeDeadline = handshakeDeadline;
        this.conf = conf;
        this.log = log;
        this.conn = conn;
        this.connections = connections;
    }

    /** Closes connections that have not finished the text phase in time (slowloris defence). */
    private static final java.util.concurrent.ScheduledExecutorService DEADLINES =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                    .name("jrsync-handshake-deadline").unstarted(r));

    void run() throws IOException {
        java.util.concurrent.ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            log.log("handshake with " + conn.remoteAddress().getAddress().getHostAddress() + " took longer than "
                    + handshakeDeadline.toMillis() / 1000.0 + " seconds; closing");
            conn.close();
        }, handshakeDeadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        this.deadline = deadline;
        try {
            handshakeAndServe();
        } finally {
            deadline.cancel(false);
        }
    }

    private java.util.concurrent.ScheduledFuture<?> deadline;
    /** The module directory as entered by {@link #enterModule} (symlinks on it resolved under the ownership rule). */
    private java.nio.file.Path moduleRoot;

    /** After {@link #run()}: the exit code an inetd-mode process ends with (see {@link #exitCode}). */
    int exitCode() {
        return exitCode;
    }

    private void handshakeAndServe() throws IOException {
        InputStream in = conn.input();
        OutputStream out = conn.output();
        String addr = conn.remoteAddress().getAddress().getHostAddress();
        conn.setReadTimeout(handshakeDeadline);
        out.write(Greeting.ours(Greeting.NEWEST_SUPPORTED).format().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Optional<java.nio.file.Path> motd = conf.global().motdFile();
        if (motd.isPresent()) {
            try {
                // A planted symlink is refused (3.5.0's open_no_attacker_symlinks()), and then, as there, the
                // client gets just the empty line that ends the motd.
                byte[] text = dev.jrsync.daemon.config.NoAttackerSymlinks.read(motd.get(), MAX_MOTD);
                out.write(text);
                if (text.length > 0 && text[text.length - 1] != '\n') {
                    out.write('\n');
                }
            } catch (IOException e) {
                log.log("failed to read motd file " + motd.get() + ": "
                        + (e instanceof dev.jrsync.daemon.config.NoAttackerSymlinks.RefusedException
                        ? dev.jrsync.daemon.config.NoAttackerSymlinks.ELOOP : e.getMessage()));
            }
            out.write('\n');
        }
        out.flush();
        String line = Lines.read(in, Lines.MAX_LINE);
        if (line == null) {
            return;
        }
        Greeting theirs;
        int protocol;
        try {
            theirs = Greeting.parse(line, false);
            protocol = Greeting.choose(Greeting.NEWEST_SUPPORTED, theirs.protocol(), theirs.sub());
        } catch (RsyncException e) {
            fail(out, e.getMessage().startsWith("your client") ? e.getMessage() : "protocol startup error");
            return;
        }
        if (protocol < Greeting.OLDEST_SUPPORTED) {
            fail(out, "protocol version " + protocol + " is not supported by this jrsync daemon (minimum "
                    + Greeting.OLDEST_SUPPORTED + ")");
            return;
        }
        String request = Lines.read(in, Lines.MAX_LINE);
        if (request == null) {
            return;
        }
        if (request.isEmpty() || request.equals("#list")) {
            log.log("module-list request from " + addr);
            for (ModuleConfig m : conf.modules()) {
                // Like stock (clientserver.c:send_listing()): only "list = no" hides a module here.
                if (m.list()) {
                    Lines.write(out, String.format("%-15s\t%s", m.name(), m.comment()));
                }
            }
            Lines.write(out, "@RSYNCD: EXIT");
            return;
        }
        if (request.startsWith("#")) {
            fail(out, "Unknown command '" + request + "'");
            return;
        }
        Optional<ModuleConfig> found = conf.module(request);
        if (found.isEmpty()) {
            log.log("unknown module '" + request + "' tried from " + addr);
            fail(out, "Unknown module '" + request + "'");
            return;
        }
        ModuleConfig module = found.get();
        if (!module.hasPath()) {
            fail(out, "no path setting.");
            return;
        }
        if (!module.filterParams().isEmpty()) {
            // Fail closed: serving without the module's exclusions could expose what they hide.
            log.log("refusing module " + module.name() + ": jrsync does not apply its "
                    + String.join(", ", module.filterParams()) + " rules yet");
            fail(out, "module " + module.name() + " uses " + String.join(", ", module.filterParams())
                    + ", which this jrsync daemon cannot apply yet");
            return;
        }
        if (!module.hostAccess().permits(conn.remoteAddress().getAddress(), null)) {
            log.log("rsync denied on module " + module.name() + " from " + addr + " (" + addr + ")");
            fail(out, "access denied to " + module.name() + " from " + addr + " (" + addr + ")");
            return;
        }
        AtomicInteger count = connections.computeIfAbsent(module.name(), k -> new AtomicInteger());
        int now = count.incrementAndGet();
        try {
            if (module.maxConnections() > 0) {
                try {
                    dev.jrsync.daemon.config.NoAttackerSymlinks.openLockFile(module.lockFile());
                } catch (IOException e) {
                    log.log("rsync: [Receiver] failed to open lock file " + module.lockFile() + ": "
                            + dev.jrsync.daemon.config.NoAttackerSymlinks.strerror(e));
                    fail(out, "failed to open lock file");
                    return;
                }
            }
            if (module.maxConnections() > 0 && now > module.maxConnections()) {
                log.log("max connections (" + module.maxConnections() + ") reached");
                fail(out, "max connections (" + module.maxConnections() + ") reached -- try again later");
                return;
            }
            serveModule(in, out, module, theirs, protocol, addr);
        } finally {
            count.decrementAndGet();
        }
    }

    private void serveModule(InputStream in, OutputStream out, ModuleConfig module, Greeting theirs, int protocol,
                             String addr) throws IOException {
        boolean readOnly = module.readOnly();
        String user = null;
        AuthUsers auth = module.authUsers();
        if (!auth.isEmpty()) {
            AuthDigest digest;
            if (theirs.digests() == null) {
                digest = AuthDigest.implied(protocol);
            } else {
                Optional<AuthDigest> d = AuthDigest.chooseAsServer(theirs.digests());
                if (d.isEmpty()) {
                    fail(out, "your client does not support one of our daemon-auth checksums: "
                            + String.join(" ", Greeting.OUR_DIGESTS));
                    return;
                }
                digest = d.get();
            }
            String challenge = digest.newChallenge();
            Lines.write(out, "@RSYNCD: AUTHREQD " + challenge);
            String reply = Lines.read(in, Lines.MAX_LINE);
            if (reply == null) {
                return;
            }
            int sp = reply.indexOf(' ');
            String u = sp < 0 ? reply : reply.substring(0, sp);
            String response = sp < 0 ? "" : reply.substring(sp + 1);
            List<String> groups = UserGroups.groupsOf(u);
            AuthUsers.Match match = auth.match(u, groups);
            AuthUsers.Access access = match.access();
            boolean ok = false;
            if (access != AuthUsers.Access.DENY && access != AuthUsers.Access.NOT_LISTED
                    && module.secretsFile().isPresent()) {
                try {
                    Secrets.Lookup lookup = Secrets.load(module.secretsFile().get(), module.strictModes())
                            .lookup(u, match.group().orElse(null));
                    for (byte[] pass : lookup.passwords()) {
                        ok |= digest.verify(new String(pass, java.nio.charset.StandardCharsets.UTF_8), challenge, response);
                    }
                } catch (IOException e) {
                    log.log(e.getMessage());
                }
            }
            if (!ok) {
                log.log("auth failed on module " + module.name() + " from " + addr + " (" + addr + ") for " + u);
                fail(out, "auth failed on module " + module.name());
                return;
            }
            if (access == AuthUsers.Access.READ_ONLY) {
                readOnly = true;
            } else if (access == AuthUsers.Access.READ_WRITE) {
                readOnly = false;
            }
            user = u;
        }
        try {
            moduleRoot = enterModule(module.path());
        } catch (IOException e) {
            // clientserver.c:path_failure(): the reason goes to the log only.
            log.log("rsync: [Receiver] chdir " + module.path() + " failed: "
                    + dev.jrsync.daemon.config.NoAttackerSymlinks.strerror(e));
            fail(out, "chdir failed");
            return;
        }
        Lines.write(out, "@RSYNCD: OK");
        ServerArgs.Parser parser = new ServerArgs.Parser(
                dev.jrsync.daemon.config.RefuseOptions.refuser(module.refuseOptions().orElse("")));
        parser.parse(Lines.readArgs(in, protocol), true, false);
        if (parser.wantsSecludedArgs()) {
            // -s: the real list follows, always NUL-separated, not unescaped (rsync.c:send_protected_args()).
            parser.parse(Lines.readArgs(in, 30), false, true);
        }
        deadline.cancel(false);
        conn.setReadTimeout(module.timeout() > 0 ? Duration.ofSeconds(module.timeout()) : Duration.ZERO);

        // On an error the options stay as parsed up to it: stock runs setup_protocol() on that state.
        TransferOptions opts = parser.options();
        RsyncException optionError = parser.error();
        dev.jrsync.protocol.session.ServerLog slog = new dev.jrsync.protocol.session.ServerLog(log::log);
        Session session = new Session(in, dev.jrsync.protocol.wire.BwLimit.wrap(out, opts.bwlimit), opts, true, slog);
        slog.attach(session);
        // A JVM never chroots, so the chroot-dependent default is the unchrooted one (munging on).
        session.imposedBy(new dev.jrsync.protocol.session.DaemonPolicy(module.name(), module.mungeSymlinks(false), true,
                module.dontCompress()));
        // The daemon's own RSYNC_COMPRESS_LIST/RSYNC_CHECKSUM_LIST (the front end reads the environment).
        session.negotiationLists(dev.jrsync.protocol.handshake.NegotiationLists.from(System.getenv()));
        session.setOnFailure(() -> closeQuietly(conn));
        session.setup(protocol);
        if (optionError != null) {
            refuse(session, optionError, module, user, addr);
            return;
        }
        int timeout = module.timeout() > 0 ? module.timeout() : opts.timeout;
        if (module.timeout() > 0 && protocol >= 31) {
            session.muxOut().writeIntMessage(dev.jrsync.protocol.wire.MsgCode.MSG_IO_TIMEOUT, module.timeout());
        }
        session.shareMemoryWith(FILE_LISTS);
        try (Session.KeepAlive keepAlive = session.startKeepAlive(timeout)) {
            serveTransfer(session, opts, module, user, addr, readOnly);
        } finally {
            session.memory().close();
        }
    }

    private void serveTransfer(Session session, TransferOptions opts, ModuleConfig module,
                               String user, String addr, boolean readOnly) throws IOException {
        InputStream in = conn.input();
        try {
            String first = opts.paths.isEmpty() ? "" : stripModule(module.name(), opts.paths.getFirst());
            log.log((opts.sender ? "rsync on " : "rsync to ") + module.name() + "/" + first
                    + " from " + (user == null ? "" : user + "@") + addr + " (" + addr + ")");
            if (opts.sender && module.writeOnly()) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "ERROR: module is write only");
            }
            if (!opts.sender && readOnly) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "ERROR: module is read only");
            }
            exitCode = StartServer.run(session, new ModuleFiles(module.name()));
        } catch (RsyncException e) {
            exitCode = e.exitCode();
            log.log(e.getMessage());
            if (!e.peerInformed()) {
                StartServer.reportFailure(session, e);
                drain(in);
            }
        }
    }

    /** A module's files: names inside the module, the module name stripped, resolved confined. */
    private final class ModuleFiles implements StartServer.Files {
        private final String module;

        ModuleFiles(String module) {
            this.module = module;
        }

        @Override
        public List<SourceArgs.Arg> sources(List<String> paths, boolean relative, List<ConfinedRoot> opened)
                throws IOException {
            ConfinedRoot root = ConfinedRoot.open(moduleRoot);
            opened.add(root);
            List<SourceArgs.Arg> args = new ArrayList<>();
            for (String p : paths.isEmpty() ? List.of("") : paths) {
                String rel = stripModule(module, p);
                args.add(relative ? SourceArgs.relative(root, rel) : SourceArgs.inModule(root, rel));
            }
            return args;
        }

        @Override
        public LocalName.Destination destination(String path) throws IOException {
            return new ConfinedDestination(ConfinedRoot.openStrict(moduleRoot), stripModule(module, path), module);
        }
    }

    static String stripModule(String module, String p) throws RsyncException {
        String rest;
        if (p.equals(module)) {
            rest = "";
        } else if (p.startsWith(module + "/")) {
            rest = p.substring(module.length() + 1);
        } else {
            rest = p;
        }
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        for (String part : rest.split("/")) {
            if (part.equals("..")) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "ERROR: path \"" + p + "\" escapes the module");
            }
        }
        return rest;
    }

    /**
     * A refused or unknown option (clientserver.c:rsync_module() after parse_arguments() failed):
     * with protocol setup done and output multiplexed, the reason and stock's closing line go to the
     * client, then after stock's pause the connection is dropped as stock's exiting process drops it (a reset
     * when the client's bytes are left unread, which the client reports as stock's client does).
     */
    private void refuse(Session session, RsyncException error, ModuleConfig module, String user, String addr) {
        String role = session.options().sender ? "sender" : "Receiver";
        String who = (user == null ? "" : user + "@") + addr + " (" + addr + ")";
        log.log("rsync " + (session.options().sender ? "on " : "to ") + module.name() + "/ from " + who);
        log.log("rsync: " + error.getMessage() + " [module " + module.name() + " from " + who + "]");
        session.sendMessage(dev.jrsync.protocol.wire.MsgCode.MSG_ERROR, "rsync: " + error.getMessage() + "\n");
        if (session.options().sender) {
            // A sender's exit_cleanup() leaves its closing line and MSG_ERROR_EXIT unflushed: stock's client
            // sees only the reason, then the reset.
            try {
                session.muxOut().flush();
            } catch (IOException ignored) {
                // The client is gone; nothing more to tell it.
            }
        } else {
            session.sendErrorExit(error.exitCode(), "rsync error: " + ExitCode.describe(error.exitCode())
                    + " (code " + error.exitCode() + ") at clientserver.c(rsync_module) [" + role + "="
                    + JRSYNC_VERSION + "]");
        }
        try {
            Thread.sleep(400); // clientserver.c: msleep(400) before exit_cleanup()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Like the exiting rsyncd: with client bytes still unread the kernel answers with a reset, otherwise
        // the client reads our messages and then end-of-file.
        int unread;
        try {
            unread = conn.input().available();
        } catch (IOException e) {
            unread = 0;
        }
        if (unread > 0) {
            conn.reset();
        } else {
            conn.close();
        }
    }

    /**
     * util1.c:change_dir() of the module path as 3.5.0's unchrooted daemon does it: the path is walked by
     * open_no_attacker_symlinks(), so a symlink on it that neither root nor the daemon's user owns is refused
     * (ELOOP) rather than followed out of the module. Returns the directory to serve; the exception's errno
     * text (NoAttackerSymlinks.strerror) is what stock logs.
     */
    static java.nio.file.Path enterModule(java.nio.file.Path configured) throws IOException {
        java.nio.file.Path dir = dev.jrsync.daemon.config.NoAttackerSymlinks.resolve(configured, false);
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.FileSystemException(configured.toString(), null, "Not a directory");
        }
        if (!Files.isExecutable(dir)) {
            throw new java.nio.file.AccessDeniedException(configured.toString());
        }
        return dir;
    }

    private static void fail(OutputStream out, String message) throws IOException {
        Lines.write(out, "@ERROR: " + message);
    }

    /** After an error exit the peer echoes and closes; wait briefly for that so it sees our message. */
    private void drain(InputStream in) {
        conn.setReadTimeout(Duration.ofSeconds(2));
        try {
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // discard
            }
        } catch (IOException ignored) {
            // Timeout or reset: either way we are done.
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Already closed.
        }
    }
}
