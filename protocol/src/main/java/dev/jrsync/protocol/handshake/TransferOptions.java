package dev.jrsync.protocol.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * The options that shape a transfer and that a client passes to its server (options.c). A mutable
 * bag filled once by a command-line parser or {@link ServerArgs#parse}; confined to one session.
 */
public final class TransferOptions {
    public enum DeleteMode { NONE, BEFORE, DURING, DELAY, AFTER, DEFAULT }

    public boolean server;
    /** On a server: it is the sender (the client pulls). On a client: set by the role. */
    public boolean sender;
    public int verbose;
    public boolean quiet;
    public boolean dryRun;
    public boolean recursive;
    public boolean dirs;
    public boolean links;
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
    /** --compress-level; 0 = the algorithm's default. */
    public int compressLevel;
    public int blockSize;
    public int timeout;
    public int protocol = Greeting.NEWEST_SUPPORTED;
    /** Daemon module setting: symlinks are stored with a "/rsyncd-munged/" prefix and unmunged when sent. */
    public boolean mungeSymlinks;
    /** Daemon without chroot: received symlink targets are confined like rsync's sanitize_path(). */
    public boolean sanitizeSymlinks;
    /** Daemon side: the module being served, for messages such as link_stat "x" (in MODULE). */
    public String moduleName;
    /** The capability string after -e (e.g. ".LsfxCIvu"); null when the client sent none. */
    public String capabilities;
    /** Arguments after the "." separator: paths. */
    public final List<String> paths = new ArrayList<>();

    /** Whether a client prints one line per item (-v, or -i which implies it). */
    public boolean logsItems() {
        return (verbose > 0 || itemize) && !quiet;
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
