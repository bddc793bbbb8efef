package dev.jrsync.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rsync-compatible command line (the subset jrsync implements so far). Picocli fills it;
 * {@link #toRsyncOptions} turns it into the Java API's options. Not thread-safe.
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
    @Option(names = {"-R", "--relative"}, description = "use relative path names")
    boolean relative;
    @Option(names = {"--no-relative", "--no-R"}, description = "turn off --relative")
    boolean noRelative;
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
    @Option(names = {"-e", "--rsh"}, paramLabel = "COMMAND", description = "specify the remote shell to use")
    String rsh;
    @Option(names = "--rsync-path", paramLabel = "PROGRAM", description = "specify the rsync to run on remote machine")
    String rsyncPath;
    @Option(names = {"-M", "--remote-option"}, paramLabel = "OPT", description = "send OPTION to the remote side only")
    List<String> remoteOptions = new ArrayList<>();
    @Option(names = {"-s", "--secluded-args", "--protect-args"}, description = "use the protocol to safely send the args")
    Boolean secludedArgs;
    @Option(names = {"--no-secluded-args", "--no-protect-args", "--no-s"}, description = "send the args on the remote command line")
    boolean noSecludedArgs;
    @Option(names = "--old-args", description = "disable the modern arg-protection idiom")
    boolean[] oldArgs = new boolean[0];
    @Option(names = "--no-old-args", description = "keep the modern arg-protection idiom")
    boolean noOldArgs;
    @Option(names = "--blocking-io", description = "use blocking I/O for the remote shell")
    boolean blockingIo;
    @Option(names = "--no-blocking-io", description = "use non-blocking I/O for the remote shell")
    boolean noBlockingIo;
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
    @Option(names = {"-V", "--version"}, description = "print the version + other info and exit (twice: as JSON)")
    boolean[] version = new boolean[0];
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

    /** The command line's transfer options for the Java API (RSYNC_MAX_ALLOC from {@code env} unless --max-alloc). */
    RsyncOptions toRsyncOptions(java.util.Map<String, String> env) throws dev.jrsync.protocol.RsyncException {
        RsyncOptions.Builder b = RsyncOptions.builder();
        if (archive) {
            b.archive();
        }
        b.verbose(verbose.length).quiet(quiet).dryRun(dryRun).listOnly(listOnly).checksum(checksum)
                .ignoreTimes(ignoreTimes).sizeOnly(sizeOnly).itemize(itemize).numericIds(numericIds).stats(stats)
                .checksumChoice(checksumChoice).debugNstr(debugLevel("NSTR")).blockSize(blockSize).timeout(timeout)
                .protocol(protocol).dirs(dirs).relative(relative && !noRelative).bwlimit(bwlimitKib());
        if (recursive) {
            b.recursive(true);
        }
        if (links) {
            b.links(true);
        }
        if (perms) {
            b.perms(true);
        }
        if (times) {
            b.times(true);
        }
        if (group) {
            b.group(true);
        }
        if (owner) {
            b.owner(true);
        }
        if (devicesAndSpecials || devices) {
            b.devices(true);
        }
        if (devicesAndSpecials || specials) {
            b.specials(true);
        }
        b.wholeFile(noWholeFile ? Boolean.FALSE : wholeFile ? Boolean.TRUE : null);
        if (deleteDuring) {
            b.delete(RsyncOptions.Delete.DURING);
        } else if (delete) {
            b.delete(RsyncOptions.Delete.DEFAULT);
        }
        String choice = compressChoice != null ? compressChoice : newCompress ? "zlibx" : oldCompress ? "zlib" : null;
        if ("none".equals(choice)) {
            b.compress(false, null);
        } else if (choice != null || compress || compressLevel != null) {
            b.compress(true, choice);
        }
        if (compressLevel != null) {
            b.compressLevel(compressLevel);
        }
        b.compressThreads(compressThreads);
        String alloc = maxAlloc != null ? maxAlloc : env.get("RSYNC_MAX_ALLOC");
        if (alloc != null && !alloc.isEmpty()) {
            long bytes = dev.jrsync.protocol.handshake.SizeArg.parse(alloc, 'B', "max-alloc", 1 << 20, true);
            b.maxAlloc(bytes == 0 ? Long.MAX_VALUE : bytes); // 0: unlimited, as options.c says
        }
        return b.build();
    }
}
