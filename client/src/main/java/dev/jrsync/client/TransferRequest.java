package dev.jrsync.client;

import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.session.SessionLog;
import dev.jrsync.protocol.session.TransferListener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One transfer for the Java API, as rsync's command line would name it: sources and a destination,
 * each a local path, {@code [USER@]HOST:PATH} (remote shell) or a daemon address
 * ({@code rsync://[USER@]HOST[:PORT]/MODULE/PATH}, {@code [USER@]HOST::MODULE/PATH}); the options; how
 * to reach the far side (remote shell, credentials, timeouts); and where per-item events and
 * messages go. {@link Builder#paths} names an explicit list of relative paths under one local root,
 * sent with their directories (rsync's -R), which is how a watcher pushes just what changed.
 * Build with {@link #builder()}; run with {@link RsyncClient}. Immutable (the listener, log and
 * suppliers are the caller's objects); thread-safe to share.
 */
public final class TransferRequest {
    private final List<String> sources;
    private final String destination;
    private final RsyncOptions options;
    private final String rsh;
    private final String rsyncPath;
    private final List<String> remoteOptions;
    private final Boolean secludedArgs;
    private final Integer oldArgs;
    private final int port;
    private final Duration connectTimeout;
    private final String address;
    private final dev.jrsync.transport.TcpConnect.Family family;
    private final String socketOptions;
    private final Supplier<String> password;
    private final Path passwordFile;
    private final Map<String, String> environment;
    private final TransferListener listener;
    private final SessionLog messages;
    private final Consumer<FileEntry> entries;
    private final boolean motd;

    private TransferRequest(Builder b) {
        sources = List.copyOf(b.sources);
        destination = b.destination;
        options = b.options;
        rsh = b.rsh;
        rsyncPath = b.rsyncPath;
        remoteOptions = List.copyOf(b.remoteOptions);
        secludedArgs = b.secludedArgs;
        oldArgs = b.oldArgs;
        port = b.port;
        connectTimeout = b.connectTimeout;
        address = b.address;
        family = b.family;
        socketOptions = b.socketOptions;
        password = b.password;
        passwordFile = b.passwordFile;
        environment = Map.copyOf(b.environment);
        listener = b.listener;
        messages = b.messages;
        entries = b.entries;
        motd = b.motd;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> sources() {
        return sources;
    }

    /** Null for a listing (one source and no destination, as {@code rsync SRC}). */
    public String destination() {
        return destination;
    }

    public RsyncOptions options() {
        return options;
    }

    String rsh() {
        return rsh != null ? rsh : environment.get("RSYNC_RSH");
    }

    String rsyncPath() {
        return rsyncPath;
    }

    List<String> remoteOptions() {
        return remoteOptions;
    }

    Boolean secludedArgs() {
        return secludedArgs;
    }

    Integer oldArgs() {
        return oldArgs;
    }

    int port() {
        return port;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    String address() {
        return address;
    }

    dev.jrsync.transport.TcpConnect.Family family() {
        return family;
    }

    String socketOptions() {
        return socketOptions;
    }

    Supplier<String> password() {
        return password;
    }

    Path passwordFile() {
        return passwordFile;
    }

    Map<String, String> environment() {
        return environment;
    }

    TransferListener listener() {
        return listener;
    }

    SessionLog messages() {
        return messages;
    }

    Consumer<FileEntry> entries() {
        return entries;
    }

    boolean motd() {
        return motd;
    }

    /** Whether an -e command was given explicitly (a daemon address then goes over the remote shell). */
    boolean explicitRsh() {
        return rsh != null;
    }

    /** Fills a {@link TransferRequest}; not thread-safe. */
    public static final class Builder {
        private final List<String> sources = new ArrayList<>();
        private String destination;
        private RsyncOptions options = RsyncOptions.defaults();
        private String rsh;
        private String rsyncPath;
        private final List<String> remoteOptions = new ArrayList<>();
        private Boolean secludedArgs;
        private Integer oldArgs;
        private int port;
        private Duration connectTimeout;
        private String address;
        private dev.jrsync.transport.TcpConnect.Family family = dev.jrsync.transport.TcpConnect.Family.ANY;
        private String socketOptions;
        private Supplier<String> password;
        private Path passwordFile;
        private Map<String, String> environment = Map.of();
        private TransferListener listener = TransferListener.NONE;
        private SessionLog messages = SilentLog.INSTANCE;
        private Consumer<FileEntry> entries = e -> { };
        private boolean motd = true;

        private Builder() {
        }

        /** Adds a source (rsync's SRC argument: a trailing slash sends a directory's contents). */
        public Builder source(String src) {
            sources.add(Objects.requireNonNull(src));
            return this;
        }

        public Builder sources(List<String> srcs) {
            srcs.forEach(this::source);
            return this;
        }

        /**
         * Sends exactly these paths, relative to the local directory {@code root}, keeping their
         * relative names at the destination (with their parent directories), as
         * {@code cd ROOT && rsync -R PATH... DEST} does. Replaces any sources; sets -R.
         */
        public Builder paths(Path root, List<String> relativePaths) {
            sources.clear();
            String base = root.toAbsolutePath().normalize().toString();
            String prefix = base.equals("/") ? "/./" : base + "/./";
            for (String p : relativePaths) {
                if (p.startsWith("/")) {
                    throw new IllegalArgumentException("not a relative path: " + p);
                }
                sources.add(prefix + p);
            }
            options = options.toBuilder().relative(true).build();
            return this;
        }

        /** The destination (rsync's DEST argument); leave unset to list the source. */
        public Builder destination(String dest) {
            destination = dest;
            return this;
        }

        public Builder options(RsyncOptions o) {
            boolean relative = options.relative();
            options = Objects.requireNonNull(o);
            if (relative && !o.relative()) {
                options = o.toBuilder().relative(true).build();
            }
            return this;
        }

        /** -e/--rsh: the remote shell (default: RSYNC_RSH from {@link #environment}, then ssh). */
        public Builder rsh(String command) {
            rsh = command;
            return this;
        }

        /** --rsync-path: the program the remote shell runs (default rsync). */
        public Builder rsyncPath(String program) {
            rsyncPath = program;
            return this;
        }

        /** -M/--remote-option: an option for the far side only. */
        public Builder remoteOption(String option) {
            remoteOptions.add(option);
            return this;
        }

        /** -s/--secluded-args (true), --no-s (false), or the default (null: RSYNC_PROTECT_ARGS, else off). */
        public Builder secludedArgs(Boolean v) {
            secludedArgs = v;
            return this;
        }

        /** --old-args given {@code times} times (null: RSYNC_OLD_ARGS, else 0). */
        public Builder oldArgs(Integer times) {
            oldArgs = times;
            return this;
        }

        /** --port for {@code HOST::MODULE} addresses (0: the URL's, else 873). */
        public Builder port(int p) {
            port = p;
            return this;
        }

        /** --contimeout: how long connecting to a daemon may take (null: 30 seconds). */
        public Builder connectTimeout(Duration d) {
            connectTimeout = d;
            return this;
        }

        /** --address: the local address a daemon connection is bound to (null: any). */
        public Builder address(String bindAddress) {
            address = bindAddress;
            return this;
        }

        /** -4/-6: the address family of a daemon connection (and ssh's -4/-6). */
        public Builder family(dev.jrsync.transport.TcpConnect.Family f) {
            family = Objects.requireNonNull(f);
            return this;
        }

        /** --sockopts: rsync's socket options string ("SO_SNDBUF=65536,TCP_NODELAY"). */
        public Builder socketOptions(String options) {
            socketOptions = options;
            return this;
        }

        /**
         * Where the daemon password comes from when the daemon asks for one and there is no
         * {@link #passwordFile} and no RSYNC_PASSWORD in the {@link #environment} (rsync's prompt).
         */
        public Builder password(Supplier<String> p) {
            password = p;
            return this;
        }

        /** --password-file. */
        public Builder passwordFile(Path file) {
            passwordFile = file;
            return this;
        }

        /**
         * The environment rsync would read (RSYNC_RSH, RSYNC_PASSWORD, RSYNC_PROTECT_ARGS,
         * RSYNC_COMPRESS_LIST, ...): empty by default, so a library call is not steered by the
         * process's environment unless the caller passes {@code System.getenv()}.
         */
        public Builder environment(Map<String, String> env) {
            environment = Objects.requireNonNull(env);
            return this;
        }

        /** Per-item events (every item, whatever the verbosity). */
        public Builder listener(TransferListener l) {
            listener = Objects.requireNonNull(l);
            return this;
        }

        /**
         * rsync's messages (default: discarded): the far side's, and this side's (e.g. "created
         * directory"); the per-item lines -v/-i print are {@link dev.jrsync.protocol.session.ItemEvent}s
         * with {@code logged()} set, for the {@link #listener} to format.
         */
        public Builder messages(SessionLog log) {
            messages = Objects.requireNonNull(log);
            return this;
        }

        /** A listing's entries (no destination). */
        public Builder entries(Consumer<FileEntry> consumer) {
            entries = Objects.requireNonNull(consumer);
            return this;
        }

        /** Whether a daemon's message of the day goes to {@link #messages} (--no-motd: false). */
        public Builder motd(boolean v) {
            motd = v;
            return this;
        }

        public TransferRequest build() {
            if (sources.isEmpty()) {
                throw new IllegalStateException("no source given");
            }
            return new TransferRequest(this);
        }
    }

    /** The default message sink: nothing is printed by a library call. */
    private enum SilentLog implements SessionLog {
        INSTANCE;

        @Override
        public void info(String line) {
        }

        @Override
        public void warning(String line) {
        }

        @Override
        public void transferError(String line) {
        }

        @Override
        public void error(String line) {
        }

        @Override
        public void deleted(String name, boolean isDir) {
        }
    }
}
