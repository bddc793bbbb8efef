package dev.jrsync.protocol.session;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.checksum.ChecksumProfile;
import dev.jrsync.protocol.flist.Xmit;
import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.handshake.Compat;
import dev.jrsync.protocol.handshake.NegotiationLists;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.wire.MsgCode;
import dev.jrsync.protocol.wire.MuxInputStream;
import dev.jrsync.protocol.wire.MuxOutputStream;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One rsync connection after the greeting: the two directions of the stream, what was negotiated,
 * and the shared state of the roles (io_error bits, statistics). The reading direction is owned by
 * one thread (sender, or receiver) and the writing direction by one thread (sender, or generator);
 * messages may be written from any thread (frames are atomic in {@link MuxOutputStream}).
 */
public final class Session {
    private final MuxInputStream muxIn;
    private final MuxOutputStream muxOut;
    private final WireInput in;
    private final WireOutput out;
    private final TransferOptions options;
    private final boolean server;
    private final SessionLog log;
    private final Stats stats = new Stats();
    private volatile int ioError;
    private volatile boolean sawTransferError;
    private volatile int peerExitCode = -1;
    private Compat.Result setup;
    private volatile Runnable onFailure = () -> { };
    private volatile boolean keepAliveArmed;
    private volatile dev.jrsync.protocol.MemoryBudget memory;
    private ChecksumProfile profile;

    public Session(InputStream rawIn, OutputStream rawOut, TransferOptions options, boolean server, SessionLog log) {
        this.muxIn = new MuxInputStream(rawIn, this::onMessage);
        this.muxOut = new MuxOutputStream(rawOut);
        this.in = new WireInput(muxIn);
        this.out = new WireOutput(muxOut);
        this.options = options;
        this.server = server;
        this.log = log;
        long limit = options.maxAlloc > 0 ? options.maxAlloc : dev.jrsync.protocol.MemoryBudget.DEFAULT_SESSION_LIMIT;
        this.memory = new dev.jrsync.protocol.MemoryBudget("--max-alloc=" + limit, limit, null);
    }

    /** What the peer makes this session hold (file-list entries), rsync's --max-alloc. */
    public dev.jrsync.protocol.MemoryBudget memory() {
        return memory;
    }

    /**
     * Daemon side: this session may hold rsync's default 1 GiB of file list, charged to
     * {@code daemonWide} as well. A client's --max-alloc is accepted but not applied: stock applies
     * it to single allocations, this budget is a total. Call before the transfer.
     */
    public void shareMemoryWith(dev.jrsync.protocol.MemoryBudget daemonWide) {
        long limit = dev.jrsync.protocol.MemoryBudget.DEFAULT_SESSION_LIMIT;
        memory = new dev.jrsync.protocol.MemoryBudget("--max-alloc=" + limit, limit, daemonWide);
    }

    /**
     * The binary version exchange of a connection without a daemon greeting (compat.c:setup_protocol()
     * with remote_protocol unknown: remote shell, local copy): both sides write their version as an
     * int, then read the other's; the lower one is used. Returns it. Garbage from a remote shell's
     * start-up files reads as an impossible version, which gets rsync's "is your shell clean?".
     */
    public int exchangeProtocol(int ours) throws IOException {
        out.writeInt(ours);
        out.flush();
        int remote = in.readInt();
        if (remote < dev.jrsync.protocol.handshake.Greeting.MIN_PROTOCOL
                || remote > dev.jrsync.protocol.handshake.Greeting.MAX_PROTOCOL) {
            throw new RsyncException(ExitCode.RERR_PROTOCOL, "protocol version mismatch -- is your shell clean?\n"
                    + "(see the rsync manpage for an explanation)");
        }
        int p = Math.min(ours, remote);
        if (p < dev.jrsync.protocol.handshake.Greeting.OLDEST_SUPPORTED) {
            throw new RsyncException(ExitCode.RERR_PROTOCOL, "protocol version " + p
                    + " is not supported by jrsync (minimum " + dev.jrsync.protocol.handshake.Greeting.OLDEST_SUPPORTED + ")");
        }
        return p;
    }

    /** Runs the compat/negotiation/seed exchange and starts multiplexing as §3.2 prescribes. */
    public void setup(int protocol) throws IOException {
        in.setProtocol(protocol);
        out.setProtocol(protocol);
        setup = server ? Compat.serverSetup(in, out, protocol, options, lists)
                : Compat.clientSetup(in, out, protocol, options, lists);
        profile = new ChecksumProfile(setup.checksum(), protocol, setup.seed(),
                setup.has(Compat.CF_CHKSUM_SEED_FIX), setup.checksumNegotiated());
        if (server) {
            muxOut.startMultiplex();
            if (protocol >= 30) {
                muxIn.startMultiplex();
            }
        } else {
            muxIn.startMultiplex();
            if (protocol >= 30) {
                muxOut.startMultiplex();
            }
        }
    }

    private volatile TransferListener listener = TransferListener.NONE;
    private DaemonPolicy policy;
    private NegotiationLists lists = NegotiationLists.NONE;
    private boolean localServer;

    /** A daemon serves this session: its module settings and caps apply. Set before {@link #setup}. */
    public void imposedBy(DaemonPolicy p) {
        this.policy = p;
    }

    /** The daemon's policy, or null when no daemon serves this session. */
    public DaemonPolicy policy() {
        return policy;
    }

    /** This process's RSYNC_COMPRESS_LIST/RSYNC_CHECKSUM_LIST; set before {@link #setup}. */
    public void negotiationLists(NegotiationLists l) {
        this.lists = l == null ? NegotiationLists.NONE : l;
    }

    /**
     * A local copy (main.c local_server): both roles are this process, so itemized lines of sent
     * files read "&gt;f" on the sending side too (log.c).
     */
    public void markLocalServer() {
        this.localServer = true;
    }

    public boolean isLocalServer() {
        return localServer;
    }

    /** Where the client side's per-item events go (none by default); set before the roles run. */
    public void setListener(TransferListener listener) {
        this.listener = listener == null ? TransferListener.NONE : listener;
    }

    /**
     * One item's outcome, to the listener (client side only: a server's items are its client's to
     * report). {@code logged}: rsync's -v/-i output shows it; the command line's listener prints
     * those ({@link Item#logLine}).
     */
    void item(FileEntry e, int iflags, ItemEvent.Outcome outcome, boolean sending, String reason, boolean logged) {
        if (server) {
            return;
        }
        listener.onItem(new ItemEvent(e.name(), e, iflags, outcome, sending, reason, logged));
    }

    /** A deletion on the destination: logged as the role's log does it, and an event on the client side. */
    void deleted(String name, boolean isDir) {
        log.deleted(name, isDir);
        if (!server) {
            listener.onItem(new ItemEvent(name, null, 0, ItemEvent.Outcome.DELETED, false, null, options.logsItems()));
        }
    }

    /** What to do when one role fails while another may be blocked (typically: close the connection). */
    public void setOnFailure(Runnable onFailure) {
        this.onFailure = onFailure;
    }

    /** Unblocks the other roles after a failure by running the failure hook once. */
    public void closeForFailure() {
        Runnable r = onFailure;
        onFailure = () -> { };
        r.run();
    }

    public WireInput in() {
        return in;
    }

    public WireOutput out() {
        return out;
    }

    public MuxOutputStream muxOut() {
        return muxOut;
    }

    public TransferOptions options() {
        return options;
    }

    public boolean isServer() {
        return server;
    }

    public int protocol() {
        return setup.protocol();
    }

    public Compat.Result setupResult() {
        return setup;
    }

    public ChecksumProfile profile() {
        return profile;
    }

    /** The token format of file data: negotiated, chosen by option, or NONE. */
    public dev.jrsync.protocol.token.CompressionType compression() {
        return setup.compression();
    }

    /**
     * The level the sender compresses with (only the sender's level matters): the negotiated one,
     * zlib's "off" level when a daemon's "dont compress" is "*", and a daemon's zstd cap.
     */
    public int compressionLevel() {
        int level = setup.compressionLevel();
        if (policy != null && policy.dontCompressAll()) {
            level = dev.jrsync.protocol.token.TokenCodecs.skipLevel(setup.compression(), level);
        }
        if (policy != null && setup.compression() == dev.jrsync.protocol.token.CompressionType.ZSTD) {
            level = Math.min(level, TransferOptions.DAEMON_MAX_ZSTD_LEVEL);
        }
        return level;
    }

    /** zstd worker threads for the sender: --compress-threads, capped on a daemon like stock's. */
    public int compressionThreads() {
        int threads = Math.max(0, options.compressThreads);
        return policy != null ? Math.min(threads, TransferOptions.DAEMON_MAX_COMPRESS_THREADS) : threads;
    }

    public SessionLog log() {
        return log;
    }

    public Stats stats() {
        return stats;
    }

    public int ioError() {
        return ioError;
    }

    public void addIoError(int bits) {
        synchronized (this) {
            ioError |= bits;
        }
    }

    public void noteTransferError() {
        sawTransferError = true;
    }

    /** rsync's final exit code when nothing fatal happened (main.c: later checks win). */
    public int exitCode() {
        int code = ExitCode.RERR_OK;
        if ((ioError & Xmit.IOERR_DEL_LIMIT) != 0) {
            code = ExitCode.RERR_DEL_LIMIT;
        }
        if ((ioError & Xmit.IOERR_VANISHED) != 0) {
            code = ExitCode.RERR_VANISHED;
        }
        if ((ioError & Xmit.IOERR_GENERAL) != 0 || sawTransferError) {
            code = ExitCode.RERR_PARTIAL;
        }
        return code;
    }

    /** Sends a text message to the peer (server side) if multiplexing is on. */
    public void sendMessage(int code, String text) {
        if (!muxOut.isMultiplexed()) {
            return;
        }
        int c = code;
        if (protocol() < 30) {
            c = code == MsgCode.MSG_ERROR ? MsgCode.MSG_ERROR_XFER : code == MsgCode.MSG_WARNING ? MsgCode.MSG_INFO : code;
        }
        try {
            muxOut.writeMessage(c, dev.jrsync.protocol.fs.NameBytes.encode(text));
        } catch (IOException ignored) {
            // The connection is going away; the caller's own error path reports it.
        }
    }

    /** Messages from the peer, on the thread that reads the stream. */
    private void onMessage(int code, byte[] payload) throws IOException {
        switch (code) {
            case MsgCode.MSG_INFO -> emit(payload, log::info);
            case MsgCode.MSG_WARNING -> emit(payload, log::warning);
            case MsgCode.MSG_ERROR_XFER -> {
                sawTransferError = true;
                emit(payload, log::error);
            }
            case MsgCode.MSG_ERROR, MsgCode.MSG_ERROR_SOCKET, MsgCode.MSG_ERROR_UTF8 -> emit(payload, log::error);
            case MsgCode.MSG_IO_ERROR -> addIoError(le(payload));
            case MsgCode.MSG_DELETED -> {
                boolean dir = payload.length > 0 && payload[payload.length - 1] == 0;
                int len = dir ? payload.length - 1 : payload.length;
                deleted(dev.jrsync.protocol.fs.NameBytes.decode(payload, 0, len), dir);
            }
            case MsgCode.MSG_NO_SEND, MsgCode.MSG_SUCCESS, MsgCode.MSG_NOOP, MsgCode.MSG_IO_TIMEOUT -> { }
            case MsgCode.MSG_ERROR_EXIT -> {
                int exit = payload.length == 4 ? le(payload) : ExitCode.RERR_STREAMIO;
                peerExitCode = exit;
                if (protocol() >= 31) {
                    try {
                        if (payload.length == 4) {
                            muxOut.writeMessage(MsgCode.MSG_ERROR_EXIT, options.sender ? new byte[0] : payload);
                        } else if (!options.sender) {
                            muxOut.writeMessage(MsgCode.MSG_ERROR_EXIT, new byte[0]);
                        }
                    } catch (IOException ignored) {
                        // Peer already closing.
                    }
                }
                throw new RsyncException(exit, "peer ended the session with exit code " + exit, null, true);
            }
            default -> throw new RsyncException(ExitCode.RERR_STREAMIO,
                    "unexpected message " + MsgCode.name(code) + " from peer");
        }
    }

    /**
     * With a timeout in effect, sends rsync's keep-alive (an empty MSG_DATA frame) whenever nothing
     * was written for half the timeout, so a peer busy reading files or computing checksums on our
     * side does not time out (io.c:maybe_send_keepalive(), every protocol; an unmultiplexed
     * direction, client to server below protocol 30, carries none). Nothing is sent until a role
     * {@linkplain #armKeepAlive() arms} it: like stock, a side still receiving the file list stays
     * quiet, because rsync before 3.1.0 dies on a keep-alive then. Returns a handle that stops it.
     */
    public KeepAlive startKeepAlive(int timeoutSeconds) {
        if (timeoutSeconds <= 0) {
            return () -> { };
        }
        long halfNanos = timeoutSeconds * 500_000_000L;
        Thread t = Thread.ofVirtual().name("jrsync-keepalive").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(Math.max(100, halfNanos / 4_000_000));
                    if (keepAliveArmed && System.nanoTime() - muxOut.lastWriteNanos() >= halfNanos) {
                        muxOut.writeKeepAlive();
                    }
                }
            } catch (InterruptedException | IOException e) {
                // Stopped, or the connection is gone: the roles report that themselves.
            }
        });
        return t::interrupt;
    }

    /** Called by the sender, generator and receiver once they run: keep-alives may flow from now on. */
    public void armKeepAlive() {
        keepAliveArmed = true;
    }

    /** Stops the keep-alive thread; closing never fails. */
    @FunctionalInterface
    public interface KeepAlive extends AutoCloseable {
        @Override
        void close();
    }

    public int peerExitCode() {
        return peerExitCode;
    }

    private static void emit(byte[] payload, java.util.function.Consumer<String> sink) {
        String text = dev.jrsync.protocol.fs.NameBytes.decode(payload);
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                sink.accept(line);
            }
        }
    }

    private static int le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /**
     * Ends a failed session the way rsync does: the error text to the peer, then (protocol 31+)
     * MSG_ERROR_EXIT, so the peer exits with our code instead of a broken-pipe error.
     */
    public void sendErrorExit(int code, String message) {
        if (!muxOut.isMultiplexed()) {
            return;
        }
        try {
            if (message != null && !message.isEmpty()) {
                muxOut.writeMessage(MsgCode.MSG_ERROR, dev.jrsync.protocol.fs.NameBytes.encode(
                        message.endsWith("\n") ? message : message + "\n"));
            }
            if (protocol() >= 31) {
                muxOut.writeIntMessage(MsgCode.MSG_ERROR_EXIT, code);
            }
            muxOut.flush();
        } catch (IOException ignored) {
            // Best effort: the connection may already be gone.
        }
    }
}
