package dev.jrsync.protocol.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * The options that shape a transfer and that a client passes to its server (options.c,
 * server_options()). Filled once by the Java API's immutable {@code RsyncOptions} or by
 * {@link ServerArgs#parse}, then read only; confined to one session. What a daemon imposes is a
 * {@link dev.jrsync.protocol.session.DaemonPolicy}, the environment's negotiation lists are
 * {@link NegotiationLists}, and facts of the session (local copy) live on the session.
 */
public final class TransferOptions {
    public enum DeleteMode { NONE, BEFORE, DURING, DELAY, AFTER, DEFAULT }

    /** rsync 3.5.0's MAX_DAEMON_COMPRESSION_THREADS (CVE-2026-70455). */
    public static final int DAEMON_MAX_COMPRESS_THREADS = 8;
    /**
     * The highest zstd level a daemon compresses with whatever its client asks: levels 20-22 (zstd's
     * "ultra" levels) need hundreds of MiB of native memory per connection. Stock does not cap it.
     */
    public static final int DAEMON_MAX_ZSTD_LEVEL = 19;

    public boolean server;
    /** On a server: it is the sender (the client pulls). On a client: set by the role. */
    public boolean sender;
    public int verbose;
    public boolean quiet;
    public boolean dryRun;
    public boolean recursive;
    /** -d: directories without recursion (a client also sets it for a listing, as options.c does). */
    public boolean dirs;
    /** --list-only given explicitly (options.c list_only &gt; 1): sent on to the server. */
    public boolean listOnly;
    public boolean links;
    /** -R: sources keep their whole path (the implied directories above them are sent too). */
    public boolean relative;
    public boolean perms;
    public boolean times;
    public boolean owner;
    public boolean group;
    public boolean devices;
    public boolean specials;
    public boolean checksum;
    /** null = rsync's default (whole-file for local copies only). */
    public Boolean wholeFile;
    public boolean ignoreTimes;
    public boolean sizeOnly;
    public DeleteMode delete = DeleteMode.NONE;
    public boolean numericIds;
    public boolean stats;
    public boolean itemize;
    public String checksumChoice;
    /** -z: compress file data (the algorithm is negotiated unless {@link #compressChoice} names one). */
    public boolean compress;
    /** --compress-choice / --new-compress (zlibx) / --old-compress (zlib); null = negotiate. */
    public String compressChoice;
    /** --compress-level, or TokenCodecs.LEVEL_NOT_SPECIFIED; see TokenCodecs.effectiveLevel. */
    public int compressLevel = dev.jrsync.protocol.token.TokenCodecs.LEVEL_NOT_SPECIFIED;
    /** --compress-threads: zstd worker threads (0 = none); a daemon caps it at {@link #DAEMON_MAX_COMPRESS_THREADS}. */
    public int compressThreads;
    /** Server side: the client's --log-format (how stock clients say -i: "%i"), or null. */
    public String logFormat;
    /** --max-alloc in bytes (0 = rsync's default, 1 GiB): the file-list memory one session may hold. */
    public long maxAlloc;
    /** --debug=NSTR level on a client (0 = off). */
    public int debugNstr;
    public int blockSize;
    public int timeout;
    /** --bwlimit in KiB/s, 0 for none. */
    public int bwlimit;
    public int protocol = Greeting.NEWEST_SUPPORTED;
    /** The capability string after -e (e.g. ".LsfxCIvu"); null when the client sent none. */
    public String capabilities;
    /** -s/--secluded-args: a daemon reads a second, NUL-separated argument list (options.c protect_args). */
    public boolean secludedArgs;
    /**
     * Server side: the options as the client gave them, in order ("--delete", "--zc", "-z"), for
     * a daemon's "refuse options".
     */
    public final List<String> givenOptions = new ArrayList<>();
    /** Arguments after the "." separator: paths. */
    public final List<String> paths = new ArrayList<>();

    /** Whether a client prints one line per item (-v, or -i which implies it). */
    public boolean logsItems() {
        return (verbose > 0 || itemize) && !quiet;
    }

    /** Whether output is itemized: -i, or a --log-format with %i or %o (log.c: stdout_format_has_o_or_i). */
    public boolean itemizes() {
        return itemize || logFormat != null && (logFormat.contains("%i") || logFormat.contains("%o"));
    }

    public boolean deleting() {
        return delete != DeleteMode.NONE;
    }

    /** rsync's -a: -rlptgoD. */
    public void archive() {
        recursive = true;
        links = true;
        perms = true;
        times = true;
        group = true;
        owner = true;
        devices = true;
        specials = true;
    }

    /** Whether whole-file transfer applies: rsync defaults to delta transfer for non-local copies. */
    public boolean useWholeFile() {
        return wholeFile != null && wholeFile;
    }
}
