package dev.jrsync.protocol.handshake;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.checksum.ChecksumType;
import dev.jrsync.protocol.token.CompressionType;
import dev.jrsync.protocol.token.TokenCodecs;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The binary setup after the argument list: compat flags, checksum negotiation and the checksum
 * seed. Mirrors compat.c:setup_protocol() and negotiate_the_strings(). Stateless.
 */
public final class Compat {
    public static final int CF_INC_RECURSE = 1;
    public static final int CF_SYMLINK_TIMES = 1 << 1;
    public static final int CF_SYMLINK_ICONV = 1 << 2;
    public static final int CF_SAFE_FLIST = 1 << 3;
    public static final int CF_AVOID_XATTR_OPTIM = 1 << 4;
    public static final int CF_CHKSUM_SEED_FIX = 1 << 5;
    public static final int CF_INPLACE_PARTIAL_DIR = 1 << 6;
    public static final int CF_VARINT_FLIST_FLAGS = 1 << 7;
    public static final int CF_ID0_NAMES = 1 << 8;

    /** Canonical preference order; md4 is never offered for negotiation (rsync-protocol.md §7.6). */
    public static final List<String> CLIENT_CHECKSUMS = List.of("xxh128", "xxh3", "xxh64", "md5", "sha1");
    public static final List<String> SERVER_CHECKSUMS = List.of("xxh128", "xxh3", "xxh64", "md5", "sha1", "none");
    /** Compression preference order; only a server lists "none" (a client would never want it). */
    public static final List<String> CLIENT_COMPRESSIONS = List.of("zstd", "lz4", "zlibx", "zlib");
    public static final List<String> SERVER_COMPRESSIONS = List.of("zstd", "lz4", "zlibx", "zlib", "none");

    private static final SecureRandom RANDOM = new SecureRandom();

    private Compat() {
    }

    /**
     * What both sides agreed on. {@code compression} is NONE when the chosen algorithm's requested
     * level means "off"; {@code compressionLevel} is the level a sender uses (token.c rules);
     * {@code debugLines} are the --debug=NSTR lines a client prints (empty on a server).
     */
    public record Result(int protocol, int compatFlags, ChecksumType checksum, boolean checksumNegotiated, int seed,
                         CompressionType compression, boolean compressionNegotiated, int compressionLevel,
                         List<String> debugLines) {
        public boolean has(int flag) {
            return (compatFlags & flag) != 0;
        }
    }

    /** Server side: compute and send compat flags, negotiate, send the seed. */
    public static Result serverSetup(WireInput in, WireOutput out, int protocol, TransferOptions o,
                                     NegotiationLists lists) throws IOException {
        int flags = 0;
        boolean negotiate = false;
        if (protocol >= 30) {
            String caps = o.capabilities == null ? "" : o.capabilities;
            flags |= CF_SYMLINK_TIMES;
            if (caps.indexOf('f') >= 0) {
                flags |= CF_SAFE_FLIST;
            }
            if (caps.indexOf('x') >= 0) {
                flags |= CF_AVOID_XATTR_OPTIM;
            }
            if (caps.indexOf('C') >= 0) {
                flags |= CF_CHKSUM_SEED_FIX;
            }
            if (caps.indexOf('I') >= 0) {
                flags |= CF_INPLACE_PARTIAL_DIR;
            }
            if (caps.indexOf('v') >= 0) {
                flags |= CF_VARINT_FLIST_FLAGS;
                negotiate = true;
            }
            if (caps.indexOf('u') >= 0) {
                flags |= CF_ID0_NAMES;
            }
            out.writeVarint(flags);
        }
        Negotiated n = negotiate(in, out, o, lists, negotiate, true, protocol);
        int seed = RANDOM.nextInt();
        out.writeInt(seed);
        out.flush();
        return n.result(protocol, flags, seed);
    }

    /** Client side: read compat flags, negotiate, read the seed. */
    public static Result clientSetup(WireInput in, WireOutput out, int protocol, TransferOptions o,
                                     NegotiationLists lists) throws IOException {
        int flags = 0;
        if (protocol >= 30) {
            flags = in.readVarint();
            if ((flags & CF_INC_RECURSE) != 0) {
                throw new RsyncException(ExitCode.RERR_PROTOCOL,
                        "server enabled incremental recursion, which jrsync did not offer");
            }
        }
        boolean negotiate = (flags & CF_VARINT_FLIST_FLAGS) != 0;
        Negotiated n = negotiate(in, out, o, lists, negotiate, false, protocol);
        int seed = in.readInt();
        return n.result(protocol, flags, seed);
    }

    private record Negotiated(ChecksumType checksum, boolean checksumNegotiated, CompressionType compression,
                              boolean compressionNegotiated, int compressionLevel, List<String> debugLines) {
        Result result(int protocol, int flags, int seed) {
            return new Result(protocol, flags, checksum, checksumNegotiated, seed, compression, compressionNegotiated,
                    compressionLevel, debugLines);
        }
    }

    /**
     * compat.c:negotiate_the_strings(): both lists are written before either is read (a slow
     * start otherwise), each only when that choice is not already fixed by an option. The
     * server takes the client's first entry it supports; the client takes its own first entry
     * the server supports. With lists in canonical order that is what every stock version
     * computes: a 3.5.0 peer ranks by its own list, a 3.2-3.4 server by the client's, and a
     * 3.2-3.4 or 3.5.0 client by its own. Without negotiation -z means zlib, and the default
     * checksum is md5 (protocol 30+) or md4; a list from RSYNC_CHECKSUM_LIST/RSYNC_COMPRESS_LIST
     * must still allow those, as in stock.
     */
    private static Negotiated negotiate(WireInput in, WireOutput out, TransferOptions o, NegotiationLists lists,
                                        boolean negotiate,
                                        boolean server, int protocol) throws IOException {
        List<String> ourChecksums = envList(lists.checksum(), server, server ? SERVER_CHECKSUMS : CLIENT_CHECKSUMS,
                Compat::checksumName);
        List<String> ourCompressions = envList(lists.compress(), server,
                server ? SERVER_COMPRESSIONS : CLIENT_COMPRESSIONS, Compat::compressionName);
        List<String> debug = new ArrayList<>();
        ChecksumType checksum = o.checksumChoice == null ? null : explicitChoice(o.checksumChoice);
        CompressionType compression = CompressionType.NONE;
        if (o.compressChoice != null) {
            compression = CompressionType.byName(o.compressChoice).orElseThrow(() -> new RsyncException(
                    ExitCode.RERR_UNSUPPORTED, "unknown compress name: " + o.compressChoice));
            if (server && lists.compress() != null && !ourCompressions.contains(compression.wireName())) {
                throw new RsyncException(ExitCode.RERR_UNSUPPORTED,
                        "Your --compress-choice value (" + o.compressChoice + ") was refused by the server.");
            }
        }
        if (server && checksum != null && lists.checksum() != null && !ourChecksums.contains(checksum.wireName())) {
            throw new RsyncException(ExitCode.RERR_UNSUPPORTED,
                    "Your --checksum-choice value (" + o.checksumChoice + ") was refused by the server.");
        }
        boolean wantChecksums = checksum == null;
        boolean wantCompressions = o.compress && o.compressChoice == null;
        if (negotiate && wantChecksums) {
            out.writeVstring(String.join(" ", ourChecksums));
        }
        if (negotiate && wantCompressions) {
            out.writeVstring(String.join(" ", ourCompressions));
        }
        out.flush();
        boolean checksumNegotiated = false;
        if (wantChecksums) {
            // An old peer's implied list: what it uses without negotiation.
            String theirs = negotiate ? in.readVstring(1024) : protocol >= 30 ? "md5" : "md4";
            if (!negotiate && (lists.checksum() == null || ourChecksums.contains(theirs)
                    || theirs.equals("md4") && envMentions(lists.checksum(), server, "md4"))) {
                checksum = protocol >= 30 ? ChecksumType.MD5 : ChecksumType.MD4;
            } else {
                List<String> peer = List.of(theirs.trim().split("\\s+"));
                checksum = (server ? pick(peer, ourChecksums) : pick(ourChecksums, peer))
                        .orElseThrow(() -> failed("checksum", server, theirs, ourChecksums));
                checksumNegotiated = negotiate;
            }
        }
        boolean compressionNegotiated = false;
        if (wantCompressions) {
            String theirs = negotiate ? in.readVstring(1024) : "zlib";
            List<String> peer = List.of(theirs.trim().split("\\s+"));
            List<String> preferred = server ? peer : ourCompressions;
            List<String> offered = server ? ourCompressions : peer;
            compression = preferred.stream().filter(offered::contains).map(CompressionType::byName)
                    .flatMap(Optional::stream).findFirst()
                    .orElseThrow(() -> failed("compress", server, theirs, ourCompressions));
            compressionNegotiated = negotiate;
        }
        CompressionType chosen = compression;
        OptionalInt level = TokenCodecs.effectiveLevel(chosen, o.compressLevel);
        int compressionLevel = level.orElse(0);
        if (level.isEmpty()) {
            compression = CompressionType.NONE;
        }
        if (!server && o.debugNstr >= 1) {
            // compat.c:parse_compress_choice() and checksum.c:parse_checksum_choice() debug lines.
            String checksumName = checksumNegotiated || o.checksumChoice == null ? checksum.wireName()
                    : o.checksumChoice;
            debug.add("Client" + (checksumNegotiated ? " negotiated" : "") + " checksum: " + checksumName);
            if (chosen != CompressionType.NONE || o.compressLevel != TokenCodecs.LEVEL_NOT_SPECIFIED) {
                String name = compressionNegotiated ? chosen.wireName()
                        : level.isEmpty() ? "none"
                        : o.compressChoice != null ? o.compressChoice : chosen.wireName();
                debug.add("Client" + (compressionNegotiated ? " negotiated" : "") + " compress: " + name
                        + " (level " + compressionLevel + ")");
            }
        }
        return new Negotiated(checksum, checksumNegotiated, compression, compressionNegotiated, compressionLevel,
                List.copyOf(debug));
    }

    private static RsyncException failed(String what, boolean server, String theirs, List<String> ours) {
        return new RsyncException(ExitCode.RERR_UNSUPPORTED, "Failed to negotiate a " + what + " choice.\n"
                + (server ? "Client" : "Server") + " list: " + theirs + "\n"
                + (server ? "Server" : "Client") + " list: " + String.join(" ", ours));
    }

    /**
     * Our list for one negotiation: the canonical one, or RSYNC_CHECKSUM_LIST/RSYNC_COMPRESS_LIST's.
     * Mirrors compat.c:getenv_nstr() and parse_nni_str(): "client&server" splits the value between
     * the roles; unknown names and repeats are dropped; aliases become their main name; a value whose
     * names are all unknown yields "INVALID", which nothing matches.
     */
    static List<String> envList(String env, boolean server, List<String> canonical,
                                java.util.function.UnaryOperator<String> known) {
        String value = rolePart(env, server);
        if (value == null || value.isBlank()) {
            return canonical;
        }
        List<String> names = new ArrayList<>();
        for (String token : value.trim().split("\\s+")) {
            String name = known.apply(token);
            if (name != null && !names.contains(name)) {
                names.add(name);
            }
        }
        return names.isEmpty() ? List.of("INVALID") : List.copyOf(names);
    }

    private static boolean envMentions(String env, boolean server, String name) {
        String value = rolePart(env, server);
        return value != null && List.of(value.trim().split("\\s+")).contains(name);
    }

    private static String rolePart(String env, boolean server) {
        if (env == null) {
            return null;
        }
        int amp = env.indexOf('&');
        if (amp < 0) {
            return env;
        }
        return server ? env.substring(amp + 1) : env.substring(0, amp);
    }

    /** A checksum name we negotiate, or null; md4 is left out (see {@link #CLIENT_CHECKSUMS}). */
    private static String checksumName(String token) {
        String t = token.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "xxhash" -> "xxh64";
            case "xxh128", "xxh3", "xxh64", "md5", "sha1", "none" -> t;
            default -> null;
        };
    }

    private static String compressionName(String token) {
        return CompressionType.byName(token).map(CompressionType::wireName).orElse(null);
    }

    /**
     * The first name of {@code preferred} that {@code offered} also lists. A server passes the
     * client's list as {@code preferred}; a 3.5.0 client computes the same with its own list.
     */
    static Optional<ChecksumType> pick(List<String> preferred, List<String> offered) {
        for (String name : preferred) {
            if (offered.contains(name) || (name.equals("xxhash") && offered.contains("xxh64"))) {
                Optional<ChecksumType> t = ChecksumType.byName(name);
                if (t.isPresent() && t.get() != ChecksumType.MD4) {
                    return t;
                }
            }
        }
        return Optional.empty();
    }

    /** --checksum-choice=NAME[,NAME]: the first name is the transfer checksum; "auto" (null) negotiates. */
    public static ChecksumType explicitChoice(String choice) throws RsyncException {
        String first = choice.split(",", 2)[0].trim();
        if (first.equals("auto")) {
            return null;
        }
        return ChecksumType.byName(first).orElseThrow(() -> new RsyncException(ExitCode.RERR_UNSUPPORTED,
                "unknown checksum name: " + first));
    }
}
