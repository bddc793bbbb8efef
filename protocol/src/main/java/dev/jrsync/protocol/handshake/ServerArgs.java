package dev.jrsync.protocol.handshake;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;

import java.util.ArrayList;
import java.util.List;

/**
 * The argument list a client sends to its server, and its parser on the server side.
 * Mirrors options.c:server_options() (building) and the --server branch of parse_arguments().
 * Stateless; thread-safe.
 */
public final class ServerArgs {
    /** Our capability letters: no 'i' (incremental recursion is declined), no 's' (no iconv). */
    public static final String CAPABILITIES = ".LfxCIvu";

    private ServerArgs() {
    }

    /**
     * Builds the server command line for a daemon or remote-shell server.
     *
     * @param serverSends true when the server is the sender (a pull)
     * @param remotePaths the remote paths as the server should see them (e.g. "mod/sub/")
     */
    public static List<String> build(TransferOptions o, boolean serverSends, List<String> remotePaths) {
        List<String> args = new ArrayList<>();
        args.add("--server");
        if (serverSends) {
            args.add("--sender");
        }
        StringBuilder f = new StringBuilder("-");
        f.append("v".repeat(Math.min(o.verbose, 9)));
        if (o.dryRun) {
            f.append('n');
        }
        if (o.links) {
            f.append('l');
        }
        if (o.dirs && !o.recursive) {
            f.append('d');
        }
        if (Boolean.TRUE.equals(o.wholeFile)) {
            f.append('W');
        }
        if (o.owner) {
            f.append('o');
        }
        if (o.group) {
            f.append('g');
        }
        if (o.devices) {
            f.append('D');
        }
        if (o.times) {
            f.append('t');
        }
        if (o.perms) {
            f.append('p');
        }
        if (o.recursive) {
            f.append('r');
        }
        if (o.checksum) {
            f.append('c');
        }
        if (o.ignoreTimes) {
            f.append('I');
        }
        if (o.relative) {
            f.append('R');
        }
        if (o.compress && o.compressChoice == null) {
            f.append('z');
        }
        if (o.protocol >= 30) {
            f.append('e').append(CAPABILITIES);
        }
        if (f.length() > 1) {
            args.add(f.toString());
        }
        if (o.itemize) {
            // How stock clients ask for -i: the server formats some lines itself (deletions below 29).
            args.add("--log-format=%i");
        }
        if (o.listOnly) {
            args.add("--list-only");
        }
        if (o.dirs && !o.recursive && o.deleting() && !serverSends) {
            // options.c: tells the server that -d with --delete means no recursion.
            args.add("--no-r");
        }
        if (o.specials && !o.devices) {
            args.add("--specials");
        } else if (!o.specials && o.devices) {
            args.add("--no-specials");
        }
        if (o.blockSize > 0) {
            args.add("-B" + o.blockSize);
        }
        if (o.timeout > 0) {
            args.add("--timeout=" + o.timeout);
        }
        if (o.bwlimit > 0) {
            args.add("--bwlimit=" + o.bwlimit);
        }
        if (o.compress && o.compressLevel != dev.jrsync.protocol.token.TokenCodecs.LEVEL_NOT_SPECIFIED) {
            args.add("--compress-level=" + o.compressLevel);
        }
        if (o.maxAlloc > 0 && o.maxAlloc != dev.jrsync.protocol.MemoryBudget.DEFAULT_SESSION_LIMIT) {
            args.add("--max-alloc=" + (o.maxAlloc == Long.MAX_VALUE ? 0 : o.maxAlloc));
        }
        if (o.checksumChoice != null) {
            args.add("--checksum-choice=" + o.checksumChoice);
        }
        if (o.compress && o.compressChoice != null) {
            args.add(switch (o.compressChoice) {
                case "zlibx" -> "--new-compress";
                case "zlib" -> "--old-compress";
                default -> "--compress-choice=" + o.compressChoice;
            });
        }
        if (!serverSends) {
            switch (o.delete) {
                case NONE -> { }
                case DEFAULT -> args.add("--delete");
                case BEFORE -> args.add("--delete-before");
                case DURING -> args.add("--delete-during");
                case DELAY -> args.add("--delete-delay");
                case AFTER -> args.add("--delete-after");
            }
            if (o.sizeOnly) {
                args.add("--size-only");
            }
        }
        if (o.numericIds) {
            args.add("--numeric-ids");
        }
        args.add(".");
        args.addAll(remotePaths);
        return args;
    }

    /**
     * Parses a server command line (the daemon's argv after the fake argv[0]). Options we do not
     * implement yet are refused with exit 4 rather than silently ignored.
     */
    public static TransferOptions parse(List<String> argv) throws RsyncException {
        Parser p = new Parser(Refuser.NONE);
        p.parse(argv, true, false);
        if (p.error() != null) {
            throw p.error();
        }
        return p.options();
    }

    /**
     * A daemon module's "refuse options", asked as each option is met (as popt meets it) and once
     * more after the whole list (options.c's post-parse checks, e.g. compression turned on by --zc).
     */
    public interface Refuser {
        Refuser NONE = new Refuser() {
            @Override
            public java.util.Optional<String> refuses(String given) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<String> refusesAfterParse(TransferOptions o) {
                return java.util.Optional.empty();
            }
        };

        /** The refusal message for this option ("-t" or "--delete"), or empty. */
        java.util.Optional<String> refuses(String given);

        /** The refusal message for what the parsed options add up to, or empty. */
        java.util.Optional<String> refusesAfterParse(TransferOptions o);
    }

    /**
     * options.c:parse_arguments() as a daemon runs it: stops at the first bad or refused option and
     * keeps what was parsed before it (stock's setup_protocol() then runs on that partial state, which
     * decides what goes on the wire before the error message), and can be fed a second list, the
     * secluded args of -s (clientserver.c:rsync_module() reads it only after the first parsed).
     * Confined to one connection.
     */
    public static final class Parser {
        private final Refuser refuser;
        private final TransferOptions o = new TransferOptions();
        private boolean wholeFileSet;
        private boolean secludedRead;
        private RsyncException error;

        public Parser(Refuser refuser) {
            this.refuser = refuser;
        }

        public TransferOptions options() {
            return o;
        }

        /** The first error, or null. */
        public RsyncException error() {
            return error;
        }

        /** True when the first list asked for -s and its second list is still to be read. */
        public boolean wantsSecludedArgs() {
            return error == null && o.secludedArgs && !secludedRead;
        }

        /**
         * Parses one list. The first list's option arguments are backslash-unescaped (rsync 3.4.4+);
         * the secluded list is taken verbatim and starts with a fake argv[0] ("rsync"), and a -s in it
         * changes nothing (CVE-2018-5764: it must not skip the checks that follow).
         */
        public void parse(List<String> argv, boolean unescape, boolean secluded) {
            if (error != null) {
                return;
            }
            if (secluded) {
                secludedRead = true;
            }
            try {
                feed(secluded && !argv.isEmpty() ? argv.subList(1, argv.size()) : argv, unescape);
                if (!wantsSecludedArgs()) {
                    finish();
                }
            } catch (RsyncException e) {
                error = e;
            }
        }

        private void refuse(String given) throws RsyncException {
            java.util.Optional<String> m = refuser.refuses(given);
            if (m.isPresent()) {
                throw new RsyncException(ExitCode.RERR_UNSUPPORTED, m.get());
            }
        }

        private void feed(List<String> argv, boolean unescape) throws RsyncException {
            int i = 0;
            for (; i < argv.size(); i++) {
                String a = unescape ? unbackslash(argv.get(i)) : argv.get(i);
                if (a.equals(".")) {
                    i++;
                    break;
                }
                if (a.startsWith("--")) {
                    String name = a.indexOf('=') > 0 ? a.substring(0, a.indexOf('=')) : a;
                    refuse(name);
                    parseLong(o, a, secludedRead);
                    continue;
                }
                if (a.startsWith("-B") && a.length() > 2) {
                    refuse("-B");
                    o.givenOptions.add("-B");
                    o.blockSize = parseInt(a.substring(2), "-B");
                    continue;
                }
                if (!a.startsWith("-") || a.length() < 2) {
                    if (wantsSecludedArgs()) {
                        // Stock stops looking at the first list once it saw -s; a protocol-29 client even
                        // sends its terminator as the text "(null)".
                        continue;
                    }
                    throw unknown(a);
                }
                for (int k = 1; k < a.length(); k++) {
                    char c = a.charAt(k);
                    refuse("-" + c);
                    o.givenOptions.add("-" + c);
                    switch (c) {
                        case 'v' -> o.verbose++;
                        case 'q' -> o.quiet = true;
                        case 'n' -> o.dryRun = true;
                        case 'l' -> o.links = true;
                        case 'd' -> o.dirs = true;
                        case 'W' -> {
                            o.wholeFile = true;
                            wholeFileSet = true;
                        }
                        case 'o' -> o.owner = true;
                        case 'g' -> o.group = true;
                        case 'D' -> {
                            o.devices = true;
                            o.specials = true;
                        }
                        case 't' -> o.times = true;
                        case 'p' -> o.perms = true;
                        case 'r' -> o.recursive = true;
                        case 'c' -> o.checksum = true;
                        case 'I' -> o.ignoreTimes = true;
                        case 'R' -> o.relative = true;
                        case 'i' -> o.itemize = true;
                        case 'z' -> o.compress = true;
                        case 's' -> o.secludedArgs |= !secludedRead;
                        case 'e' -> {
                            o.capabilities = a.substring(k + 1);
                            k = a.length();
                        }
                        default -> throw unsupported("-" + c);
                    }
                }
            }
            for (; i < argv.size(); i++) {
                if (!wantsSecludedArgs()) {
                    o.paths.add(argv.get(i));
                }
            }
        }

        private void finish() throws RsyncException {
            if (!wholeFileSet) {
                o.wholeFile = null;
            }
            if (o.compressLevel != dev.jrsync.protocol.token.TokenCodecs.LEVEL_NOT_SPECIFIED) {
                o.compress = true; // options.c: a level alone turns compression on
            }
            java.util.Optional<String> m = refuser.refusesAfterParse(o);
            if (m.isPresent()) {
                throw new RsyncException(ExitCode.RERR_UNSUPPORTED, m.get());
            }
            o.server = true;
            if (o.listOnly && !o.sender) {
                // A stock client lists a push locally; a receiving server asked to list fails closed.
                throw unsupported("--list-only");
            }
        }
    }

    private static void parseLong(TransferOptions o, String a, boolean secludedRead) throws RsyncException {
        String name = a;
        String value = null;
        int eq = a.indexOf('=');
        if (eq > 0) {
            name = a.substring(0, eq);
            value = a.substring(eq + 1);
        }
        o.givenOptions.add(name);
        switch (name) {
            case "--server" -> o.server = true;
            case "--secluded-args", "--protect-args" -> o.secludedArgs |= !secludedRead;
            case "--no-secluded-args", "--no-protect-args", "--no-s" -> {
                if (!secludedRead) {
                    o.secludedArgs = false;
                }
            }
            case "--sender" -> o.sender = true;
            case "--delete" -> o.delete = TransferOptions.DeleteMode.DEFAULT;
            case "--delete-before" -> o.delete = TransferOptions.DeleteMode.BEFORE;
            case "--delete-during", "--del" -> o.delete = TransferOptions.DeleteMode.DURING;
            case "--delete-delay" -> o.delete = TransferOptions.DeleteMode.DELAY;
            case "--delete-after" -> o.delete = TransferOptions.DeleteMode.AFTER;
            case "--numeric-ids" -> o.numericIds = true;
            case "--list-only" -> o.listOnly = true;
            case "--no-r", "--no-recursive" -> o.recursive = false;
            case "--specials" -> o.specials = true;
            case "--no-specials" -> o.specials = false;
            case "--size-only" -> o.sizeOnly = true;
            case "--stats" -> o.stats = true;
            case "--relative" -> o.relative = true;
            case "--no-relative", "--no-R" -> o.relative = false;
            case "--ignore-times" -> o.ignoreTimes = true;
            case "--force", "--ignore-errors", "--no-inc-recursive", "--no-i-r", "--msgs2stderr",
                 "--no-msgs2stderr", "--partial" -> { }
            case "--log-format", "--out-format" -> o.logFormat = require(name, value);
            case "--checksum-choice", "--cc" -> o.checksumChoice = require(name, value);
            case "--compress-level", "--zl" -> o.compressLevel = parseInt(require(name, value), name);
            case "--compress-choice", "--zc" -> {
                o.compress = true;
                o.compressChoice = require(name, value);
            }
            case "--new-compress" -> {
                o.compress = true;
                o.compressChoice = "zlibx";
            }
            case "--old-compress" -> {
                o.compress = true;
                o.compressChoice = "zlib";
            }
            case "--skip-compress" -> require(name, value);
            case "--max-alloc" -> {
                long bytes = SizeArg.parse(require(name, value), 'B', "max-alloc", 1 << 20, true);
                o.maxAlloc = bytes == 0 ? Long.MAX_VALUE : bytes;
            }
            case "--compress-threads", "--zt" -> o.compressThreads = parseInt(require(name, value), name);
            case "--timeout" -> o.timeout = parseInt(require(name, value), name);
            case "--bwlimit" -> o.bwlimit = dev.jrsync.protocol.wire.BwLimit.parse(require(name, value));
            case "--no-bwlimit" -> o.bwlimit = 0;
            case "--block-size" -> o.blockSize = parseInt(require(name, value), name);
            case "--max-delete" -> throw unsupported(name);
            default -> throw unsupported(name);
        }
    }

    private static String require(String name, String value) throws RsyncException {
        if (value == null) {
            throw new RsyncException(ExitCode.RERR_SYNTAX, "option " + name + " requires an argument");
        }
        return value;
    }

    private static int parseInt(String s, String what) throws RsyncException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new RsyncException(ExitCode.RERR_SYNTAX, "invalid numeric value for " + what + ": " + s);
        }
    }

    /** rsync 3.4.4+ daemons undo the client's backslash escaping of option arguments. */
    static String unbackslash(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static RsyncException unknown(String a) {
        return new RsyncException(ExitCode.RERR_SYNTAX, "unexpected server argument: " + a);
    }

    private static RsyncException unsupported(String opt) {
        return new RsyncException(ExitCode.RERR_UNSUPPORTED, "jrsync does not support " + opt + " yet");
    }
}
