package dev.jrsync.protocol.handshake;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.checksum.ChecksumType;
import dev.jrsync.protocol.token.CompressionType;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

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

    /** What both sides agreed on. */
    public record Result(int protocol, int compatFlags, ChecksumType checksum, boolean checksumNegotiated, int seed,
                         CompressionType compression) {
        public boolean has(int flag) {
            return (compatFlags & flag) != 0;
        }
    }

    /** Server side: compute and send compat flags, negotiate, send the seed. */
    public static Result serverSetup(WireInput in, WireOutput out, int protocol, TransferOptions o) throws IOException {
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
        Negotiated n = negotiate(in, out, o, negotiate, true);
        ChecksumType type = n.checksum();
        boolean negotiated = type != null;
        if (type == null) {
            type = protocol >= 30 ? ChecksumType.MD5 : ChecksumType.MD4;
        }
        int seed = RANDOM.nextInt();
        out.writeInt(seed);
        out.flush();
        return new Result(protocol, flags, type, negotiated, seed, n.compression());
    }

    /** Client side: read compat flags, negotiate, read the seed. */
    public static Result clientSetup(WireInput in, WireOutput out, int protocol, TransferOptions o) throws IOException {
        int flags = 0;
        if (protocol >= 30) {
            flags = in.readVarint();
            if ((flags & CF_INC_RECURSE) != 0) {
                throw new RsyncException(ExitCode.RERR_PROTOCOL,
                        "server enabled incremental recursion, which jrsync did not offer");
            }
        }
        boolean negotiate = (flags & CF_VARINT_FLIST_FLAGS) != 0;
        Negotiated n = negotiate(in, out, o, negotiate, false);
        ChecksumType type = n.checksum();
        boolean negotiated = type != null;
        if (type == null) {
            type = protocol >= 30 ? ChecksumType.MD5 : ChecksumType.MD4;
        }
        int seed = in.readInt();
        return new Result(protocol, flags, type, negotiated, seed, n.compression());
    }

    private record Negotiated(ChecksumType checksum, CompressionType compression) {
    }

    /**
     * compat.c:negotiate_the_strings(): both lists are written before either is read (a slow
     * start otherwise), each only when that choice is not already fixed by an option. The
     * server takes the client's first entry it supports, which is also what a 3.5.0 client
     * computes; a 3.2-3.4 peer does the same with our canonical lists. Without negotiation -z
     * means zlib.
     */
    private static Negotiated negotiate(WireInput in, WireOutput out, TransferOptions o, boolean negotiate,
                                        boolean server) throws IOException {
        ChecksumType checksum = o.checksumChoice == null ? null : explicitChoice(o.checksumChoice);
        CompressionType compression = CompressionType.NONE;
        if (o.compressChoice != null) {
            compression = CompressionType.byName(o.compressChoice).orElseThrow(() -> new RsyncException(
                    ExitCode.RERR_UNSUPPORTED, "unknown compress name: " + o.compressChoice));
        } else if (o.compress && !negotiate) {
            compression = CompressionType.ZLIB;
        }
        boolean sendChecksums = checksum == null && negotiate;
        boolean sendCompressions = o.compress && o.compressChoice == null && negotiate;
        List<String> ourChecksums = server ? SERVER_CHECKSUMS : CLIENT_CHECKSUMS;
        List<String> ourCompressions = server ? SERVER_COMPRESSIONS : CLIENT_COMPRESSIONS;
        if (sendChecksums) {
            out.writeVstring(String.join(" ", ourChecksums));
        }
        if (sendCompressions) {
            out.writeVstring(String.join(" ", ourCompressions));
        }
        out.flush();
        if (sendChecksums) {
            List<String> theirs = List.of(in.readVstring(1024).trim().split("\\s+"));
            checksum = (server ? pick(theirs, ourChecksums) : pick(ourChecksums, theirs))
                    .orElseThrow(() -> new RsyncException(ExitCode.RERR_UNSUPPORTED,
                            "Failed to negotiate a checksum choice."));
        }
        if (sendCompressions) {
            List<String> theirs = List.of(in.readVstring(1024).trim().split("\\s+"));
            List<String> preferred = server ? theirs : ourCompressions;
            List<String> offered = server ? ourCompressions : theirs;
            compression = preferred.stream().filter(offered::contains).map(CompressionType::byName)
                    .flatMap(java.util.Optional::stream).findFirst()
                    .orElseThrow(() -> new RsyncException(ExitCode.RERR_UNSUPPORTED,
                            "Failed to negotiate a compression choice."));
        }
        return new Negotiated(checksum, compression);
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
