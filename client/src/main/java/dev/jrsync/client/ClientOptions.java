package dev.jrsync.client;

import dev.jrsync.protocol.handshake.TransferOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rsync-compatible command line (the subset jrsync implements so far). Picocli fills it;
 * {@link #toTransferOptions()} turns it into the engine's options. Not thread-safe.
 */
@Command(name = "jrsync", mixinStandardHelpOptions = false, sortOptions = false,
        description = "A pure-Java rsync: copies files to and from rsync daemons.")
final class ClientOptions {
    @Option(names = {"-v", "--verbose"}, description = "increase verbosity")
    boolean[] verbose = new boolean[0];
    @Option(names = {"-q", "--quiet"}, description = "suppress non-error messages")
    boolean quiet;
    @Option(names = {"-a", "--archive"}, description = "archive mode is -rlptgoD")
    boolean archive;
    @Option(names = {"-r", "--recursive"}, description = "recurse into directories")
    boolean recursive;
    @Option(names = {"-d", "--dirs"}, description = "transfer directories without recursing")
    boolean dirs;
    @Option(names = {"-l", "--links"}, description = "copy symlinks as symlinks")
    boolean links;
    @Option(names = {"-p", "--perms"}, description = "preserve permissions")
    boolean perms;
    @Option(names = {"-t", "--times"}, description = "preserve modification times")
    boolean times;
    @Option(names = {"-g", "--group"}, description = "preserve group")
    boolean group;
    @Option(names = {"-o", "--owner"}, description = "preserve owner (super-user only)")
    boolean owner;
    @Option(names = "-D", description = "same as --devices --specials")
    boolean devicesAndSpecials;
    @Option(names = "--devices", description = "preserve device files (super-user only)")
    boolean devices;
    @Option(names = "--specials", description = "preserve special files")
    boolean specials;
    @Option(names = {"-n", "--dry-run"}, description = "perform a trial run with no changes made")
    boolean dryRun;
    @Option(names = {"-c", "--checksum"}, description = "skip based on checksum, not mod-time & size")
    boolean checksum;
    @Option(names = {"-W", "--whole-file"}, description = "copy files whole (w/o delta-xfer algorithm)")
    boolean wholeFile;
    @Option(names = {"--no-whole-file", "--no-W"}, description = "use the delta-xfer algorithm")
    boolean noWholeFile;
    @Option(names = {"-I", "--ignore-times"}, description = "don't skip files that match size and time")
    boolean ignoreTimes;
    @Option(names = "--size-only", description = "skip files that match in size")
    boolean sizeOnly;
    @Option(names = {"-i", "--itemize-changes"}, description = "output a change-summary for all updates")
    boolean itemize;
    @Option(names = "--delete", description = "delete extraneous files from dest directories")
    boolean delete;
    @Option(names = {"--delete-during", "--del"}, description = "receiver deletes during the transfer")
    boolean deleteDuring;
    @Option(names = "--numeric-ids", description = "don't map uid/gid values by user/group name")
    boolean numericIds;
    @Option(names = "--stats", description = "give some file-transfer stats")
    boolean stats;
    @Option(names = {"--checksum-choice", "--cc"}, paramLabel = "STR", description = "choose the checksum algorithm")
    String checksumChoice;
    @Option(names = {"-z", "--compress"}, description = "compress file data during the transfer")
    boolean compress;
    @Option(names = {"--compress-choice", "--zc"}, paramLabel = "STR", description = "choose the compression algorithm")
    String compressChoice;
    @Option(names = {"--compress-level", "--zl"}, paramLabel = "NUM", description = "explicitly set compression level")
    Integer compressLevel;
    @Option(names = {"--compress-threads", "--zt"}, paramLabel = "NUM", description = "explicitly set compression threads (zstd)")
    int compressThreads;
    @Option(names = "--new-compress", description = "same as --compress-choice=zlibx")
    boolean newCompress;
    @Option(names = "--old-compress", description = "same as --compress-choice=zlib")
    boolean oldCompress;
    @Option(names = "--skip-compress", paramLabel = "LIST", description = "accepted and ignored, as by rsync 3.2-3.5")
    String skipCompress;
    @Option(names = "--max-alloc", paramLabel = "SIZE", description = "change a limit relating to memory alloc")
    String maxAlloc;
    @Option(names = "--debug", paramLabel = "FLAGS", split = ",", description = "fine-grained debug verbosity (only NSTR has effect)")
    List<String> debug = new ArrayList<>();
    @Option(names = {"-B", "--block-size"}, paramLabel = "SIZE", description = "force a fixed checksum block-size")
    int blockSize;
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "set I/O timeout in seconds")
    int timeout;
    @Option(names = "--contimeout", paramLabel = "SECONDS", description = "set daemon connection timeout in seconds")
    int contimeout;
    @Option(names = "--port", paramLabel = "PORT", description = "specify double-colon alternate port number")
    int port = -1;
    @Option(names = "--address", paramLabel = "ADDRESS", description = "bind address for outgoing socket to daemon")
    String address;
    @Option(names = "--sockopts", paramLabel = "OPTIONS", description = "specify custom TCP options")
    String sockopts;
    /** -4/-6: the last one given wins, as with popt's POPT_ARG_VAL. */
    dev.jrsync.transport.TcpConnect.Family family = dev.jrsync.transport.TcpConnect.Family.ANY;
    /** --bwlimit's argument as given (null: none, or --no-bwlimit came later). */
    String bwlimit;

    @Option(names = {"-4", "--ipv4"}, description = "prefer IPv4")
    void ipv4(boolean on) {
        family = dev.jrsync.transport.TcpConnect.Family.INET;
    }

    @Option(names = {"-6", "--ipv6"}, description = "prefer IPv6")
    void ipv6(boolean on) {
        family = dev.jrsync.transport.TcpConnect.Family.INET6;
    }

    @Option(names = "--bwlimit", paramLabel = "RATE", description = "limit socket I/O bandwidth")
    void bwlimit(String rate) {
        bwlimit = rate;
    }

    @Option(names = "--no-bwlimit", description = "no bandwidth limit (the default)")
    void noBwlimit(boolean on) {
        bwlimit = null;
    }

    /** --bwlimit in KiB/s (0: none). */
    int bwlimitKib() throws dev.jrsync.protocol.RsyncException {
        return bwlimit == null ? 0 : dev.jrsync.protocol.wire.BwLimit.parse(bwlimit);
    }

    @Option(names = "--password-file", paramLabel = "FILE", description = "read daemon-access password from FILE")
    Path passwordFile;
    @Option(names = "--no-motd", description = "suppress daemon-mode MOTD")
    boolean noMotd;
    @Option(names = "--protocol", paramLabel = "NUM", description = "force an older protocol version to be used")
    int protocol = 32;
    @Option(names = {"-h", "--human-readable"}, description = "output numbers in a human-readable format")
    boolean[] humanReadable = new boolean[0];
    @Option(names = {"--no-human-readable", "--no-h"}, description = "print plain numbers")
    boolean noHumanReadable;
    @Option(names = "--list-only", description = "list the files instead of copying them")
    boolean listOnly;
    @Option(names = "--help", usageHelp = true, description = "show this help (-h is help only on its own)")
    boolean help;
    @Option(names = {"-V", "--version"}, versionHelp = true, description = "print the version + other info and exit")
    boolean version;
    @Parameters(paramLabel = "SRC... [DEST]")
    List<String> paths = new ArrayList<>();

    /** The flag names rsync's --debug accepts (options.c debug_words). */
    private static final java.util.Set<String> DEBUG_FLAGS = java.util.Set.of("ACL", "BACKUP", "BIND", "CHDIR",
            "CONNECT", "CMD", "DEL", "DELTASUM", "DUP", "EXIT", "FILTER", "FLIST", "FUZZY", "GENR", "HASH", "HLINK",
            "ICONV", "IO", "NSTR", "OWN", "PROTO", "RECV", "SEND", "TIME", "ALL", "NONE");

    /**
     * The level --debug gives {@code flag} ("NSTR2" = 2, "NSTR" = 1, "ALL" and "NONE" as in rsync;
     * the last word wins).
     *
     * @throws IllegalArgumentException for a word rsync would refuse, with rsync's message
     */
    int debugLevel(String flag) {
        int level = 0;
        for (String word : debug) {
            for (String w : word.trim().split("\\s+")) {
                if (w.isEmpty()) {
                    continue;
                }
                String upper = w.toUpperCase(java.util.Locale.ROOT);
                int digits = upper.length();
                while (digits > 0 && Character.isDigit(upper.charAt(digits - 1))) {
                    digits--;
                }
                String name = upper.substring(0, digits);
                if (!DEBUG_FLAGS.contains(name) || upper.length() - digits > 4) {
                    throw new IllegalArgumentException("Unknown --debug item: \"" + w + "\"");
                }
                int n = digits == upper.length() ? 1 : Integer.parseInt(upper.substring(digits));
                if (name.equals(flag) || name.equals("ALL")) {
                    level = n;
                } else if (name.equals("NONE")) {
                    level = 0;
                }
            }
        }
        return level;
    }

    /** options.c human_readable: 1 by default, each -h adds one, --no-h makes it 0. */
    int humanLevel() {
        return noHumanReadable ? 0 : HumanNum.DEFAULT_LEVEL + humanReadable.length;
    }

    TransferOptions toTransferOptions() throws dev.jrsync.protocol.RsyncException {
        TransferOptions o = new TransferOptions();
        if (archive) {
            o.archive();
        }
        o.verbose = verbose.length;
        o.quiet = quiet;
        o.recursive |= recursive;
        o.dirs = dirs;
        o.listOnly = listOnly;
        o.links |= links;
        o.perms |= perms;
        o.times |= times;
        o.group |= group;
        o.owner |= owner;
        o.devices |= devicesAndSpecials || devices;
        o.specials |= devicesAndSpecials || specials;
        o.dryRun = dryRun;
        o.checksum = checksum;
        if (wholeFile) {
            o.wholeFile = true;
        }
        if (noWholeFile) {
            o.wholeFile = false;
        }
        o.ignoreTimes = ignoreTimes;
        o.sizeOnly = sizeOnly;
        o.itemize = itemize;
        if (delete) {
            o.delete = TransferOptions.DeleteMode.DEFAULT;
        }
        if (deleteDuring) {
            o.delete = TransferOptions.DeleteMode.DURING;
        }
        o.numericIds = numericIds;
        o.stats = stats;
        o.checksumChoice = checksumChoice;
        String choice = compressChoice != null ? compressChoice : newCompress ? "zlibx" : oldCompress ? "zlib" : null;
        if ("none".equals(choice)) {
            choice = null;
        } else if (choice != null || compress || compressLevel != null) {
            o.compress = true;
            o.compressChoice = choice;
        }
        if (compressLevel != null) {
            o.compressLevel = compressLevel;
        }
        o.compressThreads = Math.max(0, compressThreads);
        o.debugNstr = debugLevel("NSTR");
        o.blockSize = blockSize;
        o.timeout = timeout;
        o.bwlimit = bwlimitKib();
        o.protocol = protocol;
        return o;
    }
}
