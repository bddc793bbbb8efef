package dev.jrsync.client;

import dev.jrsync.protocol.handshake.Greeting;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.token.TokenCodecs;

/**
 * The transfer options of the Java API: what rsync's command-line options mean, as an immutable value
 * built once ({@link #builder()}); {@code -a} is {@link Builder#archive()}. The command line builds
 * one of these too. Immutable; thread-safe.
 */
public final class RsyncOptions {
    /** When the receiving side deletes extraneous files (--delete, --delete-during, ...). */
    public enum Delete { NONE, DEFAULT, BEFORE, DURING, DELAY, AFTER }

    private final int verbose;
    private final boolean quiet;
    private final boolean dryRun;
    private final boolean recursive;
    private final boolean dirs;
    private final boolean listOnly;
    private final boolean links;
    private final boolean relative;
    private final boolean perms;
    private final boolean times;
    private final boolean owner;
    private final boolean group;
    private final boolean devices;
    private final boolean specials;
    private final boolean checksum;
    private final Boolean wholeFile;
    private final boolean ignoreTimes;
    private final boolean sizeOnly;
    private final Delete delete;
    private final boolean numericIds;
    private final boolean stats;
    private final boolean itemize;
    private final String checksumChoice;
    private final boolean compress;
    private final String compressChoice;
    private final int compressLevel;
    private final int compressThreads;
    private final long maxAlloc;
    private final int debugNstr;
    private final int blockSize;
    private final int timeout;
    private final int bwlimit;
    private final int protocol;

    private RsyncOptions(Builder b) {
        verbose = b.verbose;
        quiet = b.quiet;
        dryRun = b.dryRun;
        recursive = b.recursive;
        dirs = b.dirs;
        listOnly = b.listOnly;
        links = b.links;
        relative = b.relative;
        perms = b.perms;
        times = b.times;
        owner = b.owner;
        group = b.group;
        devices = b.devices;
        specials = b.specials;
        checksum = b.checksum;
        wholeFile = b.wholeFile;
        ignoreTimes = b.ignoreTimes;
        sizeOnly = b.sizeOnly;
        delete = b.delete;
        numericIds = b.numericIds;
        stats = b.stats;
        itemize = b.itemize;
        checksumChoice = b.checksumChoice;
        compress = b.compress;
        compressChoice = b.compressChoice;
        compressLevel = b.compressLevel;
        compressThreads = b.compressThreads;
        maxAlloc = b.maxAlloc;
        debugNstr = b.debugNstr;
        blockSize = b.blockSize;
        timeout = b.timeout;
        bwlimit = b.bwlimit;
        protocol = b.protocol;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** rsync's defaults: nothing preserved, no recursion (as plain {@code rsync SRC DST}). */
    public static RsyncOptions defaults() {
        return builder().build();
    }

    /** A builder holding these options, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.verbose = verbose;
        b.quiet = quiet;
        b.dryRun = dryRun;
        b.recursive = recursive;
        b.dirs = dirs;
        b.listOnly = listOnly;
        b.links = links;
        b.relative = relative;
        b.perms = perms;
        b.times = times;
        b.owner = owner;
        b.group = group;
        b.devices = devices;
        b.specials = specials;
        b.checksum = checksum;
        b.wholeFile = wholeFile;
        b.ignoreTimes = ignoreTimes;
        b.sizeOnly = sizeOnly;
        b.delete = delete;
        b.numericIds = numericIds;
        b.stats = stats;
        b.itemize = itemize;
        b.checksumChoice = checksumChoice;
        b.compress = compress;
        b.compressChoice = compressChoice;
        b.compressLevel = compressLevel;
        b.compressThreads = compressThreads;
        b.maxAlloc = maxAlloc;
        b.debugNstr = debugNstr;
        b.blockSize = blockSize;
        b.timeout = timeout;
        b.bwlimit = bwlimit;
        b.protocol = protocol;
        return b;
    }

    public int verbose() {
        return verbose;
    }

    public boolean quiet() {
        return quiet;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public boolean recursive() {
        return recursive;
    }

    public boolean relative() {
        return relative;
    }

    public boolean stats() {
        return stats;
    }

    public boolean itemize() {
        return itemize;
    }

    public Delete delete() {
        return delete;
    }

    /** --timeout in seconds (0: none). */
    public int timeout() {
        return timeout;
    }

    public int protocol() {
        return protocol;
    }

    /** --bwlimit in KiB/s (0: none). */
    public int bwlimit() {
        return bwlimit;
    }

    /** The engine's option set for one session (a fresh copy each call). */
    TransferOptions toTransferOptions(java.util.Map<String, String> env) {
        TransferOptions o = new TransferOptions();
        o.verbose = verbose;
        o.quiet = quiet;
        o.dryRun = dryRun;
        o.recursive = recursive;
        o.dirs = dirs;
        o.listOnly = listOnly;
        o.links = links;
        o.relative = relative;
        o.perms = perms;
        o.times = times;
        o.owner = owner;
        o.group = group;
        o.devices = devices;
        o.specials = specials;
        o.checksum = checksum;
        o.wholeFile = wholeFile;
        o.ignoreTimes = ignoreTimes;
        o.sizeOnly = sizeOnly;
        o.delete = TransferOptions.DeleteMode.valueOf(delete.name());
        o.numericIds = numericIds;
        o.stats = stats;
        o.itemize = itemize;
        o.checksumChoice = checksumChoice;
        o.compress = compress;
        o.compressChoice = compressChoice;
        o.compressLevel = compressLevel;
        o.compressThreads = compressThreads;
        o.maxAlloc = maxAlloc;
        o.debugNstr = debugNstr;
        o.blockSize = blockSize;
        o.timeout = timeout;
        o.bwlimit = bwlimit;
        o.protocol = protocol;
        return o;
    }

    /** Fills an {@link RsyncOptions}; not thread-safe. Setters return the builder. */
    public static final class Builder {
        private int verbose;
        private boolean quiet;
        private boolean dryRun;
        private boolean recursive;
        private boolean dirs;
        private boolean listOnly;
        private boolean links;
        private boolean relative;
        private boolean perms;
        private boolean times;
        private boolean owner;
        private boolean group;
        private boolean devices;
        private boolean specials;
        private boolean checksum;
        private Boolean wholeFile;
        private boolean ignoreTimes;
        private boolean sizeOnly;
        private Delete delete = Delete.NONE;
        private boolean numericIds;
        private boolean stats;
        private boolean itemize;
        private String checksumChoice;
        private boolean compress;
        private String compressChoice;
        private int compressLevel = TokenCodecs.LEVEL_NOT_SPECIFIED;
        private int compressThreads;
        private long maxAlloc;
        private int debugNstr;
        private int blockSize;
        private int timeout;
        private int bwlimit;
        private int protocol = Greeting.NEWEST_SUPPORTED;

        private Builder() {
        }

        /** -a: -rlptgoD. */
        public Builder archive() {
            recursive = true;
            links = true;
            perms = true;
            times = true;
            group = true;
            owner = true;
            devices = true;
            specials = true;
            return this;
        }

        public Builder verbose(int level) {
            verbose = level;
            return this;
        }

        public Builder quiet(boolean v) {
            quiet = v;
            return this;
        }

        public Builder dryRun(boolean v) {
            dryRun = v;
            return this;
        }

        public Builder recursive(boolean v) {
            recursive = v;
            return this;
        }

        /** -d: directories without recursion. */
        public Builder dirs(boolean v) {
            dirs = v;
            return this;
        }

        public Builder listOnly(boolean v) {
            listOnly = v;
            return this;
        }

        public Builder links(boolean v) {
            links = v;
            return this;
        }

        /** -R: names keep their whole path below the source root. */
        public Builder relative(boolean v) {
            relative = v;
            return this;
        }

        public Builder perms(boolean v) {
            perms = v;
            return this;
        }

        public Builder times(boolean v) {
            times = v;
            return this;
        }

        public Builder owner(boolean v) {
            owner = v;
            return this;
        }

        public Builder group(boolean v) {
            group = v;
            return this;
        }

        public Builder devices(boolean v) {
            devices = v;
            return this;
        }

        public Builder specials(boolean v) {
            specials = v;
            return this;
        }

        public Builder checksum(boolean v) {
            checksum = v;
            return this;
        }

        /** -W (true), --no-whole-file (false), or rsync's default (null: whole-file for local copies only). */
        public Builder wholeFile(Boolean v) {
            wholeFile = v;
            return this;
        }

        public Builder ignoreTimes(boolean v) {
            ignoreTimes = v;
            return this;
        }

        public Builder sizeOnly(boolean v) {
            sizeOnly = v;
            return this;
        }

        public Builder delete(Delete mode) {
            delete = mode;
            return this;
        }

        public Builder numericIds(boolean v) {
            numericIds = v;
            return this;
        }

        public Builder stats(boolean v) {
            stats = v;
            return this;
        }

        /** -i: rsync's itemized lines for the log ({@link TransferRequest.Builder#messages}). */
        public Builder itemize(boolean v) {
            itemize = v;
            return this;
        }

        public Builder checksumChoice(String v) {
            checksumChoice = v;
            return this;
        }

        /** -z; {@code choice} names the algorithm (zstd, lz4, zlibx, zlib) or is null to negotiate. */
        public Builder compress(boolean v, String choice) {
            compress = v;
            compressChoice = choice;
            return this;
        }

        public Builder compressLevel(int level) {
            compressLevel = level;
            return this;
        }

        public Builder compressThreads(int n) {
            compressThreads = Math.max(0, n);
            return this;
        }

        /** --max-alloc in bytes (0: rsync's default). */
        public Builder maxAlloc(long bytes) {
            maxAlloc = bytes;
            return this;
        }

        public Builder debugNstr(int level) {
            debugNstr = level;
            return this;
        }

        public Builder blockSize(int size) {
            blockSize = size;
            return this;
        }

        /** --timeout in seconds (0: none). */
        public Builder timeout(int seconds) {
            timeout = seconds;
            return this;
        }

        /** --bwlimit in KiB/s (0: none): what this side writes is held to it, and the far side is told. */
        public Builder bwlimit(int kibPerSecond) {
            bwlimit = Math.max(0, kibPerSecond);
            return this;
        }

        /** --protocol: the newest protocol version to offer. */
        public Builder protocol(int version) {
            protocol = version;
            return this;
        }

        public RsyncOptions build() {
            return new RsyncOptions(this);
        }
    }
}
